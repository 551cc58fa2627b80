package dev.devloop.tools.adapters.out.mcp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.devloop.tools.domain.McpTransport;
import dev.devloop.tools.ports.out.DownstreamException;
import dev.devloop.tools.ports.out.McpClientPort;
import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.exception.ToolArgumentsException;
import dev.langchain4j.exception.ToolExecutionException;
import dev.langchain4j.internal.JsonSchemaElementJsonUtils;
import dev.langchain4j.mcp.client.DefaultMcpClient;
import dev.langchain4j.mcp.client.McpClient;
import dev.langchain4j.mcp.client.McpException;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.quarkus.logging.Log;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.PoolOptions;
import java.net.InetAddress;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Remote MCP servers through LangChain4j's MCP client: one client per (tenant, server), created on first use and
 * closed when the server is removed or re-imported (or its connection failed). Each client speaks streamable HTTP
 * through {@link PinnedStreamableHttpTransport} to the address the caller's check answered when it was created — no
 * second name lookup — with the W3C {@code traceparent} of the current span, no redirects, bounded answers. The
 * legacy HTTP+SSE transport is not spoken.
 */
public class Langchain4jMcpClients implements McpClientPort, AutoCloseable {
    private static final Supplier<Map<String, String>> TRACE_HEADERS = Langchain4jMcpClients::traceHeaders;

    private final ObjectMapper json;
    private final Vertx vertx;
    private final HttpClient http;
    private final Duration connectTimeout;
    private final Duration maxToolTimeout;
    private final int maxAnswerBytes;
    private final Map<String, Connected> clients = new ConcurrentHashMap<>();

    /** A client and the endpoint it was built for. */
    private record Connected(Endpoint endpoint, McpClient client) {}

    public Langchain4jMcpClients(
            ObjectMapper json, Vertx vertx, Duration connectTimeout, Duration maxToolTimeout, int maxAnswerBytes) {
        this.json = json;
        this.vertx = vertx;
        this.connectTimeout = connectTimeout;
        this.maxToolTimeout = maxToolTimeout;
        this.maxAnswerBytes = maxAnswerBytes;
        this.http = vertx.createHttpClient(
                new HttpClientOptions()
                        .setConnectTimeout((int) Math.min(Integer.MAX_VALUE, connectTimeout.toMillis()))
                        .setKeepAlive(true)
                        .setVerifyHost(true)
                        .setForceSni(true)
                        .setMaxRedirects(0),
                new PoolOptions().setHttp1MaxSize(8));
    }

    @Override
    public List<RemoteTool> listTools(Endpoint endpoint, AddressCheck check) {
        McpClient client = client(endpoint, check);
        try {
            return client.listTools().stream().map(this::remoteTool).toList();
        } catch (RuntimeException e) {
            throw broken(endpoint, e);
        }
    }

    @Override
    public RemoteResult call(Endpoint endpoint, AddressCheck check, String tool, JsonNode arguments, long timeoutMs) {
        McpClient client = client(endpoint, check);
        try {
            var result = client.executeTool(ToolExecutionRequest.builder()
                    .id(UUID.randomUUID().toString())
                    .name(tool)
                    .arguments(arguments.toString())
                    .build());
            JsonNode structured = result.result() instanceof Map<?, ?> map ? json.valueToTree(map) : null;
            return new RemoteResult(result.isError(), result.resultText(), structured);
        } catch (ToolExecutionException | ToolArgumentsException | McpException e) {
            // the server answered: an error result or a JSON-RPC error, not a broken connection
            return new RemoteResult(true, e.getMessage(), null);
        } catch (RuntimeException e) {
            throw broken(endpoint, e);
        }
    }

    /** The connection failed: the client is dropped (the next use connects again, checked again). */
    private DownstreamException broken(Endpoint endpoint, RuntimeException e) {
        forget(endpoint.tenant(), endpoint.name());
        return new DownstreamException(describe(e), e);
    }

    @Override
    public void forget(String tenant, String name) {
        Connected gone = clients.remove(key(tenant, name));
        if (gone != null) {
            closeQuietly(gone.client());
        }
    }

    @Override
    public void close() {
        clients.values().forEach(c -> closeQuietly(c.client()));
        clients.clear();
        http.close();
    }

    /** The live client of this endpoint, or a new one connected to the address {@code check} answers now. */
    private McpClient client(Endpoint endpoint, AddressCheck check) {
        String key = key(endpoint.tenant(), endpoint.name());
        Connected existing = clients.get(key);
        if (existing != null && existing.endpoint().equals(endpoint)) {
            return existing.client();
        }
        if (endpoint.transport() != McpTransport.STREAMABLE_HTTP) {
            throw new DownstreamException("the legacy HTTP+SSE transport is not supported; import the server again"
                    + " over streamable-http");
        }
        URI url = URI.create(endpoint.url());
        InetAddress address = check.checked(url.getHost());
        Connected created = new Connected(endpoint, connect(endpoint, new PinnedTarget(url, address)));
        Connected previous = clients.put(key, created);
        if (previous != null) {
            closeQuietly(previous.client());
        }
        return created.client();
    }

    private McpClient connect(Endpoint endpoint, PinnedTarget target) {
        try {
            var transport = new PinnedStreamableHttpTransport(
                    vertx,
                    http,
                    target,
                    connectTimeout.toMillis(),
                    maxToolTimeout.toMillis(),
                    maxAnswerBytes,
                    TRACE_HEADERS);
            return new DefaultMcpClient.Builder()
                    .key(key(endpoint.tenant(), endpoint.name()))
                    .clientName("devloop-tool-service")
                    .clientVersion("0.1.0")
                    .transport(transport)
                    .initializationTimeout(connectTimeout)
                    .toolExecutionTimeout(maxToolTimeout)
                    .autoHealthCheck(false)
                    .build();
        } catch (RuntimeException e) {
            throw new DownstreamException(describe(e), e);
        }
    }

    private RemoteTool remoteTool(ToolSpecification spec) {
        ObjectNode schema;
        if (spec.parameters() == null) {
            schema = JsonNodeFactory.instance.objectNode().put("type", "object");
            schema.putObject("properties");
        } else {
            schema = json.valueToTree(JsonSchemaElementJsonUtils.toMap(spec.parameters()));
        }
        return new RemoteTool(spec.name(), spec.description(), schema);
    }

    private static Map<String, String> traceHeaders() {
        SpanContext span = Span.current().getSpanContext();
        if (!span.isValid()) {
            return Map.of();
        }
        return Map.of(
                "traceparent",
                "00-" + span.getTraceId() + "-" + span.getSpanId() + "-"
                        + span.getTraceFlags().asHex());
    }

    private static String describe(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
        return message.length() > 300 ? message.substring(0, 300) : message;
    }

    private static void closeQuietly(McpClient client) {
        try {
            client.close();
        } catch (Exception e) {
            Log.debugf("closing an MCP client failed: %s", e.getMessage());
        }
    }

    private static String key(String tenant, String name) {
        return tenant + "/" + name;
    }
}
