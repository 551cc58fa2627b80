package dev.devloop.agent.adapters.out.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.devloop.agent.ports.out.DownstreamException;
import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.WebApplicationException;
import java.util.function.Supplier;
import org.eclipse.microprofile.faulttolerance.exceptions.FaultToleranceException;

/** Turns REST-client and fault-tolerance failures into {@link DownstreamException}s with the callee's detail. */
final class DownstreamErrors {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Runs one raw REST call; HTTP errors keep their status, transport errors become status 0. */
    static <T> T http(String service, Supplier<T> call) {
        try {
            return call.get();
        } catch (WebApplicationException e) {
            int status = e.getResponse().getStatus();
            if (status == 502 || status == 503 || status == 504) {
                throw new DownstreamUnavailableException(service, status, detail(e), e);
            }
            throw new DownstreamException(service, status, detail(e), e);
        } catch (ProcessingException e) {
            throw new DownstreamUnreachableException(service, e);
        }
    }

    /** Runs a fault-tolerant call; an open circuit, a timeout or a full bulkhead count as unavailable. */
    static <T> T guarded(String service, Supplier<T> call) {
        try {
            return call.get();
        } catch (FaultToleranceException e) {
            throw new DownstreamException(
                    service, 503, "unavailable (" + e.getClass().getSimpleName() + ")", e);
        }
    }

    private static String detail(WebApplicationException e) {
        String fallback = "HTTP " + e.getResponse().getStatus();
        try {
            String body = e.getResponse().readEntity(String.class);
            if (body == null || body.isBlank()) {
                return fallback;
            }
            JsonNode problem = JSON.readTree(body);
            JsonNode detail = problem.path("detail");
            return detail.isTextual() ? detail.asText() : fallback + " " + body;
        } catch (RuntimeException | java.io.IOException ignored) {
            return fallback;
        }
    }

    /** The callee could not be reached at all; safe to retry. */
    static final class DownstreamUnreachableException extends DownstreamException {
        DownstreamUnreachableException(String service, Throwable cause) {
            super(service, 0, "unreachable: " + cause.getMessage(), cause);
        }
    }

    /** The callee answered that it (or a store behind it) is away for now (502/503/504); safe to retry when idempotent. */
    static final class DownstreamUnavailableException extends DownstreamException {
        DownstreamUnavailableException(String service, int status, String detail, Throwable cause) {
            super(service, status, detail, cause);
        }
    }

    private DownstreamErrors() {}
}
