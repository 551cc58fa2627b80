package dev.devloop.gateway.adapters.out.http;

import dev.devloop.contracts.problem.ProblemException;
import dev.devloop.gateway.domain.DownstreamResponse;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.function.Supplier;
import org.eclipse.microprofile.faulttolerance.CircuitBreaker;
import org.eclipse.microprofile.faulttolerance.Retry;
import org.eclipse.microprofile.faulttolerance.Timeout;
import org.eclipse.microprofile.rest.client.inject.RestClient;

/**
 * The guarded calls to agent-service: a timeout and a circuit breaker on each, retries on reads only. Each carries
 * the {@code Authorization} its caller signed for agent-service ({@link SiblingCredentials}).
 * Timeouts are set per method in application.properties ({@code quarkus.fault-tolerance."...".timeout.value}).
 */
@ApplicationScoped
public class AgentServiceCalls {
    private final AgentServiceClient client;

    public AgentServiceCalls(@RestClient AgentServiceClient client) {
        this.client = client;
    }

    /** Starts a run and waits for it to finish; runs may take minutes. */
    @Timeout(300_000)
    @CircuitBreaker(requestVolumeThreshold = 10, failureRatio = 0.5, delay = 5_000)
    public DownstreamResponse startRunAndWait(
            String baseUrl, String authorization, String tenant, String subject, String agentRef, byte[] body) {
        return call(() -> client.startRun(baseUrl, authorization, tenant, subject, agentRef, true, body));
    }

    /** Queues a run; agent-service answers at once with 202. */
    @Timeout(10_000)
    @CircuitBreaker(requestVolumeThreshold = 10, failureRatio = 0.5, delay = 5_000)
    public DownstreamResponse startRunQueued(
            String baseUrl, String authorization, String tenant, String subject, String agentRef, byte[] body) {
        return call(() -> client.startRun(baseUrl, authorization, tenant, subject, agentRef, false, body));
    }

    /** Reads a run with its steps. */
    @Timeout(5_000)
    @Retry(maxRetries = 2, delay = 200, jitter = 100)
    @CircuitBreaker(requestVolumeThreshold = 10, failureRatio = 0.5, delay = 5_000)
    public DownstreamResponse getRun(
            String baseUrl, String authorization, String tenant, String subject, String runId) {
        return call(() -> client.getRun(baseUrl, authorization, tenant, subject, runId));
    }

    /** Reads an agent with its children. */
    @Timeout(5_000)
    @Retry(maxRetries = 2, delay = 200, jitter = 100)
    @CircuitBreaker(requestVolumeThreshold = 10, failureRatio = 0.5, delay = 5_000)
    public DownstreamResponse getAgent(
            String baseUrl, String authorization, String tenant, String subject, String agentId) {
        return call(() -> client.getAgent(baseUrl, authorization, tenant, subject, agentId));
    }

    private static DownstreamResponse call(Supplier<Response> request) {
        try (Response response = request.get()) {
            byte[] body = response.hasEntity() ? response.readEntity(byte[].class) : new byte[0];
            return new DownstreamResponse(
                    response.getStatus(),
                    response.getHeaderString(HttpHeaders.CONTENT_TYPE),
                    pathOf(response.getHeaderString(HttpHeaders.LOCATION)),
                    body);
        } catch (ProcessingException e) {
            Log.warnf("agent-service unreachable: %s", rootMessage(e));
            throw ProblemException.unavailable(
                    "agent-service-unavailable", "agent-service could not be reached: " + rootMessage(e));
        }
    }

    /** Keeps only the path of a downstream {@code Location}: its host is internal. */
    private static String pathOf(String location) {
        if (location == null || location.isBlank()) {
            return null;
        }
        try {
            return URI.create(location).getRawPath();
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getClass().getSimpleName() + (t.getMessage() == null ? "" : " (" + t.getMessage() + ")");
    }
}
