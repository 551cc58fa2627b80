package dev.devloop.tools.adapters.in.mcp;

import com.github.benmanes.caffeine.cache.Caffeine;
import dev.devloop.contracts.Headers;
import dev.devloop.contracts.identity.Caller;
import dev.devloop.tools.config.ToolServiceConfig;
import io.quarkus.vertx.http.runtime.CurrentVertxRequest;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.ContextNotActiveException;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Who is calling over MCP: the tenant is the verified caller's (contracts' {@link Caller}, from the token), the
 * agent type, agent and run come from the headers of the current MCP HTTP request; remembers, per (tenant, agent
 * type), which tool ids that caller may see (a size-bounded Caffeine cache), filled when the caller initializes its session.
 */
@ApplicationScoped
public class McpCallers {
    /** The caller of one MCP request; null fields are absent (no tenant in the token, or a missing header). */
    public record McpCaller(String tenant, String agentType, String agentId, String runId) {
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
    private final Caller identity;
    private final Map<String, Set<String>> visible;

    McpCallers(CurrentVertxRequest request, Caller identity, ToolServiceConfig config) {
        this.request = request;
        this.identity = identity;
        this.visible = Caffeine.newBuilder()
                .maximumSize(config.mcpServer().maxCachedCallers())
                .<String, Set<String>>build()
                .asMap();
    }

    /** The caller of the current HTTP request: the token's tenant, the headers' agent type, agent and run. */
    public McpCaller current() {
        RoutingContext context;
        try {
            context = request.getCurrent();
        } catch (ContextNotActiveException e) {
            context = null;
        }
        if (context == null) {
            return new McpCaller(null, null, null, null);
        }
        return new McpCaller(
                identity.optionalTenant().orElse(null),
                header(context, Headers.AGENT_TYPE),
                header(context, Headers.AGENT_ID),
                header(context, Headers.RUN_ID));
    }

    void remember(McpCaller caller, Set<String> toolIds) {
        visible.put(caller.key(), Set.copyOf(toolIds));
    }

    boolean maySee(McpCaller caller, String toolId) {
        Set<String> ids = visible.get(caller.key());
        return ids != null && ids.contains(toolId);
    }

    private static String header(RoutingContext context, String name) {
        String value = context.request().getHeader(name);
        return value == null || value.isBlank() ? null : value.trim();
    }
}
