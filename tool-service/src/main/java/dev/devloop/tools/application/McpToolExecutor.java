package dev.devloop.tools.application;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.devloop.tools.domain.McpServer;
import dev.devloop.tools.domain.ToolKind;
import dev.devloop.tools.ports.out.DownstreamException;
import dev.devloop.tools.ports.out.McpClientPort;
import dev.devloop.tools.ports.out.McpServerStorePort;
import java.util.Optional;

/**
 * Runs an imported MCP tool on the remote server it came from, under the tool's deadline. Output is
 * {@code {text}} plus {@code structured} when the server sent structured content; a remote error
 * result or an unreachable server is a FAILED result.
 */
public class McpToolExecutor extends SingleTool {
    private final McpServerStorePort servers;
    private final McpClientPort clients;

    public McpToolExecutor(McpServerStorePort servers, McpClientPort clients) {
        super(McpServerService.IMPLEMENTATION, ToolKind.MCP);
        this.servers = servers;
        this.clients = clients;
    }

    @Override
    public JsonNode execute(ToolCall call) {
        String id = call.tool().id();
        McpServer server = servers.list(call.tenant()).stream()
                .filter(s -> id.startsWith(McpServer.toolPrefix(s.name())))
                .filter(s -> s.tools().stream().anyMatch(t -> t.toolId().equals(id)))
                .findFirst()
                .orElseThrow(() -> new ToolFailure("the MCP server of '" + id + "' is no longer registered"));
        Optional<String> remoteName = server.tools().stream()
                .filter(t -> t.toolId().equals(id))
                .map(McpServer.ImportedTool::remoteName)
                .findFirst();
        McpClientPort.RemoteResult result;
        try {
            result = clients.call(
                    new McpClientPort.Endpoint(server.tenant(), server.name(), server.url(), server.transport()),
                    remoteName.orElseThrow(),
                    call.arguments(),
                    call.tool().limits().timeoutMs());
        } catch (DownstreamException e) {
            throw new ToolFailure("MCP server '" + server.name() + "' failed: " + e.getMessage());
        }
        if (result.error()) {
            throw new ToolFailure(
                    result.text() == null || result.text().isBlank()
                            ? "the remote tool reported an error"
                            : result.text());
        }
        ObjectNode output = JsonNodeFactory.instance.objectNode();
        output.put("text", result.text());
        if (result.structured() != null && !result.structured().isNull()) {
            output.set("structured", result.structured());
        }
        return output;
    }
}
