package dev.devloop.agent.adapters.out.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.devloop.agent.ports.out.DownstreamException;
import io.vertx.core.http.HttpClosedException;
import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.function.Supplier;
import org.eclipse.microprofile.faulttolerance.exceptions.BulkheadException;
import org.eclipse.microprofile.faulttolerance.exceptions.CircuitBreakerOpenException;
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
            Answer answer = answer(e);
            if (status == 502 || status == 503 || status == 504) {
                // 502 is the callee relaying its own upstream's failure (a model provider's), not the callee away
                boolean away = status != 502 && !answer.type().endsWith(NOT_CONFIGURED);
                throw new DownstreamUnavailableException(
                        service, status, answer.detail(), e, away, retryAfter(e.getResponse()));
            }
            throw new DownstreamException(service, status, answer.detail(), e);
        } catch (ProcessingException e) {
            throw new DownstreamUnreachableException(service, e);
        } catch (HttpClosedException e) {
            // the callee closed a pooled connection before answering (stopping, restarting, a proxy cut): the REST
            // client lets Vert.x's exception through unwrapped, and it is the same "not reached" as a refused connect
            throw new DownstreamUnreachableException(service, e);
        }
    }

    /**
     * Runs a fault-tolerant call; an open circuit, a timeout or a full bulkhead count as unavailable. An open circuit
     * or a full bulkhead means the callee is away for now; a timeout does not (the call itself took too long).
     */
    static <T> T guarded(String service, Supplier<T> call) {
        try {
            return call.get();
        } catch (FaultToleranceException e) {
            boolean away = e instanceof CircuitBreakerOpenException || e instanceof BulkheadException;
            throw new DownstreamException(
                    service, 503, "unavailable (" + e.getClass().getSimpleName() + ")", e, away, null);
        }
    }

    /** A problem type of a callee that is up but lacks a setting: waiting does not help. */
    private static final String NOT_CONFIGURED = "-not-configured";

    private record Answer(String detail, String type) {}

    private static Answer answer(WebApplicationException e) {
        String fallback = "HTTP " + e.getResponse().getStatus();
        try {
            String body = e.getResponse().readEntity(String.class);
            if (body == null || body.isBlank()) {
                return new Answer(fallback, "");
            }
            JsonNode problem = JSON.readTree(body);
            JsonNode detail = problem.path("detail");
            return new Answer(
                    detail.isTextual() ? detail.asText() : fallback + " " + body,
                    problem.path("type").asText(""));
        } catch (RuntimeException | java.io.IOException ignored) {
            return new Answer(fallback, "");
        }
    }

    /** {@code Retry-After} in seconds or as an HTTP date; null when absent or unreadable. */
    static Duration retryAfter(Response response) {
        String value = response.getHeaderString("Retry-After");
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Duration.ofSeconds(Math.max(0, Long.parseLong(value.strip())));
        } catch (NumberFormatException notSeconds) {
            try {
                Instant at = ZonedDateTime.parse(value.strip(), DateTimeFormatter.RFC_1123_DATE_TIME)
                        .toInstant();
                Duration left = Duration.between(Instant.now(), at);
                return left.isNegative() ? Duration.ZERO : left;
            } catch (DateTimeParseException unreadable) {
                return null;
            }
        }
    }

    /** The callee could not be reached at all; safe to retry. */
    static final class DownstreamUnreachableException extends DownstreamException {
        DownstreamUnreachableException(String service, Throwable cause) {
            super(service, 0, "unreachable: " + cause.getMessage(), cause, true, null);
        }
    }

    /** The callee answered that it (or a store behind it) is away for now (502/503/504); safe to retry when idempotent. */
    static final class DownstreamUnavailableException extends DownstreamException {
        DownstreamUnavailableException(
                String service, int status, String detail, Throwable cause, boolean away, Duration retryAfter) {
            super(service, status, detail, cause, away, retryAfter);
        }
    }

    private DownstreamErrors() {}
}
