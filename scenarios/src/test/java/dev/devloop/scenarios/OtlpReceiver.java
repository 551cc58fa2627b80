package dev.devloop.scenarios;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Predicate;
import java.util.zip.GZIPInputStream;

/**
 * An OTLP/HTTP trace receiver (http/protobuf, {@code POST /v1/traces}) on 127.0.0.1 and a free port: what the
 * services really export lands here as decoded {@link ExportedSpan}s. Bounded: it keeps at most
 * {@link #MAX_SPANS} spans and refuses bodies over {@link #MAX_BODY} bytes.
 */
final class OtlpReceiver implements AutoCloseable {
    static final int MAX_SPANS = 200_000;
    static final int MAX_BODY = 16 * 1024 * 1024;

    /** One exported span, ids as lower-case hex ("" for a root span's parent). */
    record ExportedSpan(
            String service,
            String traceId,
            String spanId,
            String parentSpanId,
            String kind,
            String name,
            Map<String, String> attributes) {
        boolean isKind(String k) {
            return kind.equals("SPAN_KIND_" + k);
        }

        @Override
        public String toString() {
            return service + " " + kind.replace("SPAN_KIND_", "") + " '" + name + "' span=" + spanId + " parent="
                    + (parentSpanId.isEmpty() ? "-" : parentSpanId);
        }
    }

    private final HttpServer server;
    private final ExecutorService executor = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "otlp-receiver");
        t.setDaemon(true);
        return t;
    });
    private final List<ExportedSpan> spans = new CopyOnWriteArrayList<>();
    private final List<String> errors = new CopyOnWriteArrayList<>();

    OtlpReceiver() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
        server.createContext("/v1/traces", this::handle);
        server.setExecutor(executor);
        server.start();
    }

    /** The value for {@code DEVLOOP_OTLP_ENDPOINT}: the exporter appends {@code /v1/traces}. */
    String endpoint() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    List<ExportedSpan> spans() {
        return List.copyOf(spans);
    }

    List<String> errors() {
        return List.copyOf(errors);
    }

    List<ExportedSpan> trace(String traceId) {
        return spans.stream().filter(s -> s.traceId().equals(traceId)).toList();
    }

    /**
     * Polls (bounded by {@code timeout}) until {@code done} holds for the spans of {@code traceId}; returns them
     * either way, so the caller's assertions say what is missing.
     */
    List<ExportedSpan> awaitTrace(String traceId, Predicate<List<ExportedSpan>> done, Duration timeout)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<ExportedSpan> trace = trace(traceId);
        while (!done.test(trace) && System.nanoTime() < deadline) {
            Thread.sleep(200);
            trace = trace(traceId);
        }
        return trace;
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (!"POST".equals(exchange.getRequestMethod())) {
                exchange.sendResponseHeaders(405, -1);
                return;
            }
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readNBytes(MAX_BODY + 1);
            }
            if (body.length > MAX_BODY) {
                errors.add("export body over " + MAX_BODY + " bytes");
                exchange.sendResponseHeaders(413, -1);
                return;
            }
            String encoding = exchange.getRequestHeaders().getFirst("Content-Encoding");
            if ("gzip".equalsIgnoreCase(encoding)) {
                try (InputStream in = new GZIPInputStream(new java.io.ByteArrayInputStream(body))) {
                    body = in.readNBytes(MAX_BODY);
                }
            }
            String type = exchange.getRequestHeaders().getFirst("Content-Type");
            if (type == null || !type.startsWith("application/x-protobuf")) {
                errors.add("unexpected Content-Type " + type);
                exchange.sendResponseHeaders(415, -1);
                return;
            }
            ExportTraceServiceRequest request;
            try {
                request = ExportTraceServiceRequest.parseFrom(body);
            } catch (com.google.protobuf.InvalidProtocolBufferException e) {
                errors.add("undecodable export: " + e.getMessage());
                exchange.sendResponseHeaders(400, -1);
                return;
            }
            keep(request);
            byte[] answer = ExportTraceServiceResponse.getDefaultInstance().toByteArray();
            exchange.getResponseHeaders().set("Content-Type", "application/x-protobuf");
            exchange.sendResponseHeaders(200, answer.length == 0 ? -1 : answer.length);
            if (answer.length > 0) {
                exchange.getResponseBody().write(answer);
            }
        }
    }

    private void keep(ExportTraceServiceRequest request) {
        HexFormat hex = HexFormat.of();
        for (ResourceSpans resourceSpans : request.getResourceSpansList()) {
            String service =
                    attributes(resourceSpans.getResource().getAttributesList()).getOrDefault("service.name", "?");
            for (ScopeSpans scopeSpans : resourceSpans.getScopeSpansList()) {
                for (io.opentelemetry.proto.trace.v1.Span span : scopeSpans.getSpansList()) {
                    if (spans.size() >= MAX_SPANS) {
                        errors.add("more than " + MAX_SPANS + " spans: the rest dropped");
                        return;
                    }
                    spans.add(new ExportedSpan(
                            service,
                            hex.formatHex(span.getTraceId().toByteArray()),
                            hex.formatHex(span.getSpanId().toByteArray()),
                            hex.formatHex(span.getParentSpanId().toByteArray()),
                            span.getKind().name(),
                            span.getName(),
                            attributes(span.getAttributesList())));
                }
            }
        }
    }

    private static Map<String, String> attributes(List<KeyValue> list) {
        Map<String, String> out = new LinkedHashMap<>();
        for (KeyValue kv : list) {
            out.put(kv.getKey(), text(kv.getValue()));
        }
        return out;
    }

    private static String text(AnyValue v) {
        return switch (v.getValueCase()) {
            case STRING_VALUE -> v.getStringValue();
            case BOOL_VALUE -> Boolean.toString(v.getBoolValue());
            case INT_VALUE -> Long.toString(v.getIntValue());
            case DOUBLE_VALUE -> Double.toString(v.getDoubleValue());
            case ARRAY_VALUE -> {
                List<String> items = new ArrayList<>();
                v.getArrayValue().getValuesList().forEach(item -> items.add(text(item)));
                yield items.toString();
            }
            default -> v.toString();
        };
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
