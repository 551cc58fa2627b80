package dev.devloop.tools.adapters.in.mcp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.devloop.contracts.logging.LogFields;
import dev.devloop.tools.config.ToolServiceConfig;
import dev.devloop.tools.domain.ToolDefinition;
import dev.devloop.tools.ports.in.InvocationResult;
import dev.devloop.tools.ports.in.InvokeToolCommand;
import dev.devloop.tools.ports.in.InvokeToolUseCase;
import dev.devloop.tools.ports.in.ListToolsUseCase;
import dev.devloop.tools.ports.in.ToolRefusal;
import io.quarkiverse.mcp.server.ToolManager;
import io.quarkiverse.mcp.server.ToolResponse;
import io.vertx.core.json.JsonObject;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import org.jboss.logging.Logger;

/**
 * Exposes the registry as MCP tools: each tool a caller may use is registered with the extension's
 * {@link ToolManager} under its id with its JSON schema, and {@code tools/call} goes through the same
 * invocation use case as REST (permission, validation, idempotency, audit) under the caller's headers.
 */
@ApplicationScoped
public class RegistryMcpTools {
    private static final Logger LOG = Logger.getLogger(RegistryMcpTools.class);
    private final ToolManager tools;
    private final ListToolsUseCase listTools;
    private final InvokeToolUseCase invokeTool;
    private final McpCallers callers;
    private final ToolServiceConfig config;
    private final ObjectMapper json;
    private final Map<String, String> registeredSchemas = new HashMap<>();

    RegistryMcpTools(
            ToolManager tools,
            ListToolsUseCase listTools,
            InvokeToolUseCase invokeTool,
            McpCallers callers,
            ToolServiceConfig config,
            ObjectMapper json) {
        this.tools = tools;
        this.listTools = listTools;
        this.invokeTool = invokeTool;
        this.callers = callers;
        this.config = config;
        this.json = json;
    }

    /**
     * Registers (or refreshes) every enabled tool of the caller's tenant, so that calling one it may not
     * use is a denied, audited result rather than an unknown name, and remembers which ones it may see.
     */
    public int sync(McpCallers.McpCaller caller) {
        listTools.enabledFor(caller.tenant()).forEach(this::expose);
        Set<String> ids = new LinkedHashSet<>();
        listTools.callableBy(caller.tenant(), caller.agentType()).forEach(tool -> ids.add(tool.id()));
        callers.remember(caller, ids);
        return ids.size();
    }

    private synchronized void expose(ToolDefinition tool) {
        String schema = tool.parameters().json();
        String known = registeredSchemas.get(tool.id());
        if (schema.equals(known) && tools.getTool(tool.id()) != null) {
            return;
        }
        if (tools.getTool(tool.id()) != null) {
            tools.removeTool(tool.id());
        }
        String id = tool.id();
        tools.newTool(id)
                .setDescription(tool.description())
                .setInputSchema(new JsonObject(schema))
                .setHandler(arguments -> call(id, arguments.args()))
                .register();
        registeredSchemas.put(id, schema);
    }

    private ToolResponse call(String toolId, Map<String, Object> arguments) {
        McpCallers.McpCaller caller = callers.current();
        if (caller.missingHeader().isPresent()) {
            LogFields.of("toolId", toolId, "missing", caller.missingHeader().get())
                    .info(LOG, "mcp tool call refused");
            return ToolResponse.error("missing header " + caller.missingHeader().get());
        }
        try {
            JsonNode args = json.valueToTree(arguments == null ? Map.of() : arguments);
            InvocationResult result = invokeTool.invoke(new InvokeToolCommand(
                    caller.tenant(), toolId, args, caller.agentType(), caller.agentId(), caller.runId(), null));
            LogFields.of("tenant", caller.tenant(), "toolId", toolId, "agentType", caller.agentType())
                    .and("status", result.status())
                    .info(LOG, "mcp tool called");
            if (InvocationResult.SUCCEEDED.equals(result.status())) {
                return ToolResponse.success(bounded(
                        result.output() == null ? "null" : result.output().toString()));
            }
            return ToolResponse.error(bounded(result.error() == null ? "the tool failed" : result.error()));
        } catch (ToolRefusal refused) {
            LogFields.of("tenant", caller.tenant(), "toolId", toolId, "reason", refused.reason())
                    .info(LOG, "mcp tool call refused");
            String field = refused.field() == null ? "" : " (field " + refused.field() + ")";
            return ToolResponse.error(refused.title() + ": " + refused.detail() + field);
        }
    }

    private String bounded(String text) {
        return text.length() > config.mcpServer().maxResultChars()
                ? text.substring(0, config.mcpServer().maxResultChars())
                : text;
    }
}
