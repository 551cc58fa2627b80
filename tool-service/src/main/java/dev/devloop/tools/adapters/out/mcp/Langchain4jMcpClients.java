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
import dev.langchain4j.mcp.client.transport.http.HttpMcpTransport;
import dev.langchain4j.mcp.client.transport.http.StreamableHttpMcpTransport;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.quarkus.logging.Log;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Remote MCP servers through LangChain4j's MCP client: one client per (tenant, server), created on
 * first use and closed when the server is removed or re-imported. The W3C {@code traceparent} of the
 * current span goes with every request; streamable HTTP never follows redirects.
 */
public class Langchain4jMcpClients implements McpClientPort, AutoCloseable {
    private static final Supplier<Map<String, String>> TRACE_HEADERS = Langchain4jMcpClients::traceHeaders;

    private final ObjectMapper json;
    private final Duration connectTimeout;
    private final Duration maxToolTimeout;
    private final Map<String, Connected> clients = new ConcurrentHashMap<>();

    /** A client and the endpoint it was built for. */
    private record Connected(Endpoint endpoint, McpClient client) {}

    public Langchain4jMcpClients(ObjectMapper json, Duration connectTimeout, Duration maxToolTimeout) {
        this.json = json;
        this.connectTimeout = connectTimeout;
        this.maxToolTimeout = maxToolTimeout;
    }

    @Override
    public List<RemoteTool> listTools(Endpoint endpoint) {
        try {
            return client(endpoint).listTools().stream().map(this::remoteTool).toList();
        } catch (DownstreamException e) {
            throw e;
        } catch (RuntimeException e) {
            forget(endpoint.tenant(), endpoint.name());
            throw new DownstreamException(describe(e), e);
        }
    }

    @Override
    public RemoteResult call(Endpoint endpoint, String tool, JsonNode arguments, long timeoutMs) {
        try {
            var result = client(endpoint)
                    .executeTool(ToolExecutionRequest.builder()
                            .id(UUID.randomUUID().toString())
                            .name(tool)
                            .arguments(arguments.toString())
                            .build());
            JsonNode structured = result.result() instanceof Map<?, ?> map ? json.valueToTree(map) : null;
            return new RemoteResult(result.isError(), result.resultText(), structured);
        } catch (ToolExecutionException | ToolArgumentsException | McpException e) {
            // the server answered: an error result or a JSON-RPC error, not a broken connection
            return new RemoteResult(true, e.getMessage(), null);
        } catch (DownstreamException e) {
            throw e;
        } catch (RuntimeException e) {
            forget(endpoint.tenant(), endpoint.name());
            throw new DownstreamException(describe(e), e);
        }
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
    }

    private McpClient client(Endpoint endpoint) {
        String key = key(endpoint.tenant(), endpoint.name());
        Connected existing = clients.get(key);
        if (existing != null && existing.endpoint().equals(endpoint)) {
            return existing.client();
        }
        Connected created = new Connected(endpoint, connect(endpoint));
        Connected previous = clients.put(key, created);
        if (previous != null) {
            closeQuietly(previous.client());
        }
        return created.client();
    }

    @SuppressWarnings("removal") // HttpMcpTransport: the HTTP+SSE transport older servers still speak
    private McpClient connect(Endpoint endpoint) {
        try {
            var transport = endpoint.transport() == McpTransport.SSE
                    ? new HttpMcpTransport.Builder()
                            .sseUrl(endpoint.url())
                            .timeout(connectTimeout)
                            .customHeaders(TRACE_HEADERS)
                            .build()
                    : new StreamableHttpMcpTransport.Builder()
                            .url(endpoint.url())
                            .timeout(maxToolTimeout)
                            .followRedirects(false)
                            .customHeaders(TRACE_HEADERS)
                            .build();
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
