package dev.devloop.gateway.application;

import dev.devloop.gateway.domain.Caller;
import dev.devloop.gateway.domain.DownstreamResponse;
import dev.devloop.gateway.ports.in.ForwardResult;
import dev.devloop.gateway.ports.in.ResourceIds;
import dev.devloop.gateway.ports.in.RouteAgentCallsUseCase;
import dev.devloop.gateway.ports.in.StartRunCommand;
import dev.devloop.gateway.ports.in.StartRunResult;
import dev.devloop.gateway.ports.out.AgentServicePort;
import dev.devloop.gateway.ports.out.IdempotencyStorePort;
import java.time.Duration;

/**
 * Routes agent and run calls to agent-service with the tenant taken from the caller's token; keyed
 * run requests are idempotent: first answer stored and replayed, a concurrent duplicate 409, the same
 * key for a different request 422.
 */
public final class AgentRoutingService implements RouteAgentCallsUseCase {
    private final AgentServicePort agentService;
    private final RunBodyRules runBodyRules;
    private final IdempotentCalls idempotent;

    public AgentRoutingService(
            AgentServicePort agentService,
            RunBodyRules runBodyRules,
            IdempotencyStorePort idempotency,
            Duration pendingTtl,
            Duration replayTtl) {
        this.agentService = agentService;
        this.runBodyRules = runBodyRules;
        this.idempotent = new IdempotentCalls(idempotency, pendingTtl, replayTtl);
    }

    @Override
    public StartRunResult startRun(StartRunCommand command) {
        byte[] body = command.body();
        runBodyRules.check(body);
        ForwardResult result = idempotent.run(
                command.caller(),
                command.idempotencyKey(),
                command.idempotencyKey() == null ? null : fingerprint(command, body),
                () -> agentService.startRun(command.caller(), command.agentRef(), command.waitForResult(), body));
        return new StartRunResult(result.response(), result.replayed());
    }

    @Override
    public DownstreamResponse getRun(Caller caller, String runId) {
        return agentService.getRun(caller, ResourceIds.require("id", runId));
    }

    @Override
    public DownstreamResponse getAgent(Caller caller, String agentId) {
        return agentService.getAgent(caller, ResourceIds.require("id", agentId));
    }

    /** SHA-256 over what makes two requests "the same": route target, wait flag and the exact body. */
    static String fingerprint(StartRunCommand command, byte[] body) {
        return IdempotentCalls.fingerprint(
                "POST /agents/" + command.agentRef() + "/runs?wait=" + command.waitForResult(), body);
    }
}
