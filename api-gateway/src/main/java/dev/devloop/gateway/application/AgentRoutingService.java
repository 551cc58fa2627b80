package dev.devloop.gateway.application;

import dev.devloop.contracts.Headers;
import dev.devloop.gateway.domain.Caller;
import dev.devloop.gateway.domain.DownstreamResponse;
import dev.devloop.gateway.domain.IdempotencyClaim;
import dev.devloop.gateway.ports.in.GatewayRefusal;
import dev.devloop.gateway.ports.in.ResourceIds;
import dev.devloop.gateway.ports.in.RouteAgentCallsUseCase;
import dev.devloop.gateway.ports.in.StartRunCommand;
import dev.devloop.gateway.ports.in.StartRunResult;
import dev.devloop.gateway.ports.out.AgentServicePort;
import dev.devloop.gateway.ports.out.IdempotencyStorePort;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;

/**
 * Routes agent and run calls to agent-service with the tenant taken from the caller's token; keyed
 * run requests are idempotent: first answer stored and replayed, a concurrent duplicate 409, the same
 * key for a different request 422.
 */
public final class AgentRoutingService implements RouteAgentCallsUseCase {
    private final AgentServicePort agentService;
    private final RunBodyRules runBodyRules;
    private final IdempotencyStorePort idempotency;
    private final Duration pendingTtl;
    private final Duration replayTtl;

    public AgentRoutingService(
            AgentServicePort agentService,
            RunBodyRules runBodyRules,
            IdempotencyStorePort idempotency,
            Duration pendingTtl,
            Duration replayTtl) {
        this.agentService = agentService;
        this.runBodyRules = runBodyRules;
        this.idempotency = idempotency;
        this.pendingTtl = pendingTtl;
        this.replayTtl = replayTtl;
    }

    @Override
    public StartRunResult startRun(StartRunCommand command) {
        byte[] body = command.body();
        runBodyRules.check(body);
        Caller caller = command.caller();
        String key = command.idempotencyKey();
        if (key == null) {
            return new StartRunResult(forward(command, body), false);
        }
        IdempotencyClaim claim =
                idempotency.claim(caller.tenant(), caller.subject(), key, fingerprint(command, body), pendingTtl);
        if (claim instanceof IdempotencyClaim.Replay replay) {
            return new StartRunResult(replay.response(), true);
        }
        if (claim instanceof IdempotencyClaim.InFlight) {
            throw problem(
                    GatewayRefusal.Reason.CONFLICT,
                    "idempotency-key-in-use",
                    "Conflict",
                    "a request with this Idempotency-Key is still being processed; retry later");
        }
        if (claim instanceof IdempotencyClaim.Mismatch) {
            throw problem(
                    GatewayRefusal.Reason.UNPROCESSABLE,
                    "idempotency-key-reused",
                    "Unprocessable request",
                    "this Idempotency-Key was already used for a different request");
        }
        DownstreamResponse response;
        try {
            response = forward(command, body);
        } catch (RuntimeException e) {
            idempotency.release(caller.tenant(), caller.subject(), key);
            throw e;
        }
        if (response.status() >= 500) {
            idempotency.release(caller.tenant(), caller.subject(), key);
        } else {
            idempotency.complete(caller.tenant(), caller.subject(), key, response, replayTtl);
        }
        return new StartRunResult(response, false);
    }

    @Override
    public DownstreamResponse getRun(Caller caller, String runId) {
        return agentService.getRun(caller, ResourceIds.require("id", runId));
    }

    @Override
    public DownstreamResponse getAgent(Caller caller, String agentId) {
        return agentService.getAgent(caller, ResourceIds.require("id", agentId));
    }

    private DownstreamResponse forward(StartRunCommand command, byte[] body) {
        return agentService.startRun(command.caller(), command.agentRef(), command.waitForResult(), body);
    }

    /** SHA-256 over what makes two requests "the same": route target, wait flag and the exact body. */
    static String fingerprint(StartRunCommand command, byte[] body) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(("POST /agents/" + command.agentRef() + "/runs?wait=" + command.waitForResult() + "\n")
                    .getBytes(StandardCharsets.UTF_8));
            sha.update(body);
            return HexFormat.of().formatHex(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }

    private static GatewayRefusal problem(GatewayRefusal.Reason reason, String slug, String title, String detail) {
        return new GatewayRefusal(reason, slug, title, detail, Headers.IDEMPOTENCY_KEY);
    }
}
