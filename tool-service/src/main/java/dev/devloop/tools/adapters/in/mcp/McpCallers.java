package dev.devloop.tools.adapters.in.mcp;

import dev.devloop.contracts.Headers;
import dev.devloop.tools.config.ToolServiceConfig;
import io.quarkus.vertx.http.runtime.CurrentVertxRequest;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.ContextNotActiveException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Who is calling over MCP: tenant and agent type come from the headers of the current MCP HTTP
 * request; remembers, per (tenant, agent type), which tool ids that caller may see (bounded, oldest
 * evicted), filled when the caller initializes its session.
 */
@ApplicationScoped
public class McpCallers {
    /** The caller of one MCP request, as its headers name it; null fields are absent headers. */
    public record Caller(String tenant, String agentType, String agentId, String runId) {
        /** The first required header that is missing, if any. */
        public Optional<String> missingHeader() {
            if (tenant == null) {
                return Optional.of(Headers.TENANT);
            }
            if (agentType == null) {
                return Optional.of(Headers.AGENT_TYPE);
            }
            return Optional.empty();
        }

        String key() {
            return tenant + "\n" + agentType;
        }
    }

    private final CurrentVertxRequest request;
    private final Map<String, Set<String>> visible;

    McpCallers(CurrentVertxRequest request, ToolServiceConfig config) {
        this.request = request;
        int max = config.mcpServer().maxCachedCallers();
        this.visible = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Set<String>> eldest) {
                return size() > max;
            }
        };
    }

    /** The caller named by the current HTTP request's headers. */
    public Caller current() {
        RoutingContext context;
        try {
            context = request.getCurrent();
        } catch (ContextNotActiveException e) {
            context = null;
        }
        if (context == null) {
            return new Caller(null, null, null, null);
        }
        return new Caller(
                header(context, Headers.TENANT),
                header(context, Headers.AGENT_TYPE),
                header(context, Headers.AGENT_ID),
                header(context, Headers.RUN_ID));
    }

    synchronized void remember(Caller caller, Set<String> toolIds) {
        visible.put(caller.key(), Set.copyOf(toolIds));
    }

    synchronized boolean maySee(Caller caller, String toolId) {
        Set<String> ids = visible.get(caller.key());
        return ids != null && ids.contains(toolId);
    }

    private static String header(RoutingContext context, String name) {
        String value = context.request().getHeader(name);
        return value == null || value.isBlank() ? null : value.trim();
    }
}
