package dev.devloop.agent.adapters.out.http;

import dev.devloop.contracts.provider.ToolSpec;
import dev.devloop.contracts.tools.ToolInvocationRequest;
import dev.devloop.contracts.tools.ToolInvocationResult;
import io.opentelemetry.instrumentation.annotations.SpanAttribute;
import io.opentelemetry.instrumentation.annotations.WithSpan;
import io.smallrye.faulttolerance.api.ExponentialBackoff;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.eclipse.microprofile.faulttolerance.CircuitBreaker;
import org.eclipse.microprofile.faulttolerance.Retry;
import org.eclipse.microprofile.faulttolerance.Timeout;
import org.eclipse.microprofile.faulttolerance.exceptions.CircuitBreakerOpenException;
import org.eclipse.microprofile.rest.client.inject.RestClient;

/**
 * Fault-tolerant calls to tool-service. Invocations may be retried too: they carry the model's
 * tool-call id as idempotency key, so tool-service answers a repeat from the first execution.
 * Every circuit stays open {@link SiblingCalls#CIRCUIT_DELAY_MS} ms: a run waiting on tool-service (or its store) goes on
 * within that plus one backoff step of its return, not a long circuit delay later (#18).
 */
@ApplicationScoped
class ToolServiceCalls {
    static final String SERVICE = "tool-service";

    private final ToolServiceApi api;

    ToolServiceCalls(@RestClient ToolServiceApi api) {
        this.api = api;
    }

    /**
     * The tools a run may call, read when it starts or resumes: a read, so a tool-service outage is waited out like an
     * invocation's (a run starting while tool-service restarts goes on once it is back instead of failing).
     */
    @Timeout(value = 10, unit = ChronoUnit.SECONDS)
    @Retry(
            maxRetries = 200,
            delay = SiblingCalls.OUTAGE_INITIAL_BACKOFF_MS,
            jitter = SiblingCalls.OUTAGE_JITTER_MS,
            maxDuration = SiblingCalls.OUTAGE_WINDOW_MS,
            retryOn = {
                DownstreamErrors.DownstreamUnreachableException.class,
                DownstreamErrors.DownstreamUnavailableException.class,
                CircuitBreakerOpenException.class
            })
    @ExponentialBackoff(factor = 2, maxDelay = SiblingCalls.OUTAGE_MAX_BACKOFF_MS)
    @CircuitBreaker(
            requestVolumeThreshold = 10,
            failureRatio = 0.6,
            delay = SiblingCalls.CIRCUIT_DELAY_MS,
            failOn = {
                DownstreamErrors.DownstreamUnreachableException.class,
                DownstreamErrors.DownstreamUnavailableException.class
            })
    List<ToolSpec> specs(String tenant, String agentType) {
        return DownstreamErrors.http(SERVICE, () -> api.specs(tenant, agentType));
    }

    @Timeout(value = 5, unit = ChronoUnit.SECONDS)
    @Retry(maxRetries = 1, delay = 200, jitter = 100, retryOn = DownstreamErrors.DownstreamUnreachableException.class)
    @CircuitBreaker(
            requestVolumeThreshold = 10,
            failureRatio = 0.6,
            delay = SiblingCalls.CIRCUIT_DELAY_MS,
            failOn = DownstreamErrors.DownstreamUnreachableException.class)
    com.fasterxml.jackson.databind.JsonNode registration(String tenant, String toolId) {
        return DownstreamErrors.http(SERVICE, () -> api.registration(tenant, toolId));
    }

    /**
     * A tool-service (or store) outage of up to 90 s ({@link SiblingCalls#OUTAGE_WINDOW_MS}) is waited out rather than
     * failing the run: unreachable, 502/503/504 and an open circuit are retried with exponential backoff (250 ms
     * doubling to 1 s, jittered: {@link SiblingCalls}) — safe because the idempotency key makes tool-service answer a repeat from the first execution. The
     * bound is {@code maxDuration}; {@code maxRetries} is set above what 90 s of attempts 1 s apart can use. Any other
     * answer (400, 403, 404, 500) is final at once.
     */
    @WithSpan("execute_tool")
    @Timeout(value = 120, unit = ChronoUnit.SECONDS)
    @Retry(
            maxRetries = 200,
            delay = SiblingCalls.OUTAGE_INITIAL_BACKOFF_MS,
            jitter = SiblingCalls.OUTAGE_JITTER_MS,
            maxDuration = SiblingCalls.OUTAGE_WINDOW_MS,
            retryOn = {
                DownstreamErrors.DownstreamUnreachableException.class,
                DownstreamErrors.DownstreamUnavailableException.class,
                CircuitBreakerOpenException.class
            })
    @ExponentialBackoff(factor = 2, maxDelay = SiblingCalls.OUTAGE_MAX_BACKOFF_MS)
    @CircuitBreaker(
            requestVolumeThreshold = 10,
            failureRatio = 0.6,
            delay = SiblingCalls.CIRCUIT_DELAY_MS,
            failOn = {
                DownstreamErrors.DownstreamUnreachableException.class,
                DownstreamErrors.DownstreamUnavailableException.class
            })
    ToolInvocationResult invoke(
            String tenant, @SpanAttribute("gen_ai.tool.name") String toolId, ToolInvocationRequest request) {
        return DownstreamErrors.http(SERVICE, () -> api.invoke(tenant, toolId, request));
    }
}
