package dev.devloop.agent.ports.in;

import dev.devloop.agent.domain.AgentDefinition;
import dev.devloop.agent.domain.Run;
import java.util.List;
import java.util.Optional;

/** Incoming port: start runs, read runs and agents, list agent types. */
public interface RunAgentUseCase {
    /** Creates the run and executes it to the end before returning. */
    Run runToCompletion(StartRunCommand command);

    /** Creates the run, hands execution to the background and returns it still RUNNING. */
    Run runInBackground(StartRunCommand command);

    /** Accepts a task from an event and runs it in the background; empty when it is a redelivery. */
    Optional<Run> submitTask(SubmitTaskCommand command);

    /** Resumes runs whose runner died, from their last persisted step; returns how many were taken over. */
    int resumeAbandoned();

    Optional<Run> findRun(String tenant, String runId);

    /**
     * Requests the cancellation of a running run: the request is stored on the run, and the loop
     * executing it (on whichever replica) ends it {@code CANCELLED} at its next step boundary. Repeating
     * it changes nothing; empty when the tenant has no such run; {@link RunFinishedException} when the run
     * already ended otherwise.
     */
    Optional<Run> cancel(String tenant, String runId, String reason);

    List<AgentDefinition> agentTypes(String tenant);
}
