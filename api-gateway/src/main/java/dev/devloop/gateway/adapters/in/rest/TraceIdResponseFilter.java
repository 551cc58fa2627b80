package dev.devloop.gateway.adapters.in.rest;

import dev.devloop.contracts.Headers;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;

/** Echoes the current OpenTelemetry trace id to clients in {@code X-Devloop-Trace-Id}. */
public class TraceIdResponseFilter {

    @ServerResponseFilter
    public void traceId(ContainerResponseContext response) {
        SpanContext span = Span.current().getSpanContext();
        if (span.isValid()) {
            response.getHeaders().putSingle(Headers.TRACE_ID, span.getTraceId());
        }
    }
}
