package dev.devloop.agent.adapters.out.kafka;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.devloop.agent.domain.Run;
import dev.devloop.agent.ports.out.RunResultsPublisherPort;
import dev.devloop.contracts.Topics;
import dev.devloop.contracts.events.CloudEvent;
import dev.devloop.contracts.events.KafkaEvents;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;

/** Announces finished runs as {@code dev.devloop.agent.run.finished} on {@code devloop.agent.results}, keyed by tenant. */
@ApplicationScoped
class KafkaRunResultsPublisher implements RunResultsPublisherPort {
    static final String CHANNEL = "agent-results";
    static final String TYPE = "dev.devloop.agent.run.finished";
    private final Emitter<String> emitter;
    private final ObjectMapper json;
    private final KafkaEvents events;

    KafkaRunResultsPublisher(@Channel(CHANNEL) Emitter<String> emitter, ObjectMapper json, KafkaEvents events) {
        this.emitter = emitter;
        this.json = json;
        this.events = events;
    }

    @Override
    public void finished(Run run) {
        ObjectNode data = json.createObjectNode()
                .put("runId", run.id())
                .put("taskId", run.taskId())
                .put("agentId", run.agentId())
                .put("agentType", run.agentType())
                .put("status", run.status().name())
                .put("result", run.result())
                .put("error", run.error())
                .put("steps", run.steps().size())
                .put(
                        "completedAt",
                        run.completedAt() == null ? null : run.completedAt().toString());
        data.putObject("usage")
                .put("inputTokens", run.usage().inputTokens())
                .put("outputTokens", run.usage().outputTokens())
                .put("totalTokens", run.usage().totalTokens())
                .put("costUsd", run.usage().costUsd());
        CloudEvent event = CloudEvent.of(AgentEvents.SOURCE, TYPE, run.id(), run.tenant(), data);
        emitter.send(events.message(Topics.AGENT_RESULTS, run.tenant(), event));
    }
}
