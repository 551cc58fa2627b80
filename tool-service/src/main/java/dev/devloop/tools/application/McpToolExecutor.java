package dev.devloop.tools.application;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.devloop.tools.domain.McpServer;
import dev.devloop.tools.domain.ToolKind;
import dev.devloop.tools.ports.in.ToolRefusal;
import dev.devloop.tools.ports.out.DownstreamException;
import dev.devloop.tools.ports.out.McpClientPort;
import dev.devloop.tools.ports.out.McpServerStorePort;
import java.net.InetAddress;
import java.util.Optional;

/**
 * Runs an imported MCP tool on the remote server it came from, under the tool's deadline. Output is
 * {@code {text}} plus {@code structured} when the server sent structured content; a remote error
 * result or an unreachable server is a FAILED result.
 */
public class McpToolExecutor extends SingleTool {
    private final McpServerStorePort servers;
    private final McpClientPort clients;
    private final McpHosts hosts;

    public McpToolExecutor(McpServerStorePort servers, McpClientPort clients, McpHosts hosts) {
        super(McpServerService.IMPLEMENTATION, ToolKind.MCP);
        this.servers = servers;
        this.clients = clients;
        this.hosts = hosts;
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
                    this::checked,
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

    /** A new connection's address: re-resolved and re-checked; a host that no longer passes fails the call. */
    private InetAddress checked(String host) {
        try {
            return hosts.checked(host);
        } catch (ToolProblems.Denied e) {
            throw e;
        } catch (ToolRefusal e) {
            throw new ToolFailure(e.getMessage());
        }
    }
}
