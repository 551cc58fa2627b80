package dev.devloop.tools.domain;

import java.time.Instant;
import java.util.List;

/**
 * A remote MCP server a tenant imported: where it is, which agent types may call its tools, and the
 * registry ids its tools were imported under (each mapped to the remote tool's own name).
 */
public record McpServer(
        String tenant,
        String name,
        String url,
        McpTransport transport,
        List<String> allowedAgentTypes,
        List<ImportedTool> tools,
        Instant createdAt) {

    /** One imported tool: our registry id and the name the remote server knows it by. */
    public record ImportedTool(String toolId, String remoteName) {}

    /** Prefix of every tool imported from a server of this name. */
    public static String toolPrefix(String serverName) {
        return "mcp_" + serverName + "_";
    }

    public McpServer {
        allowedAgentTypes = List.copyOf(allowedAgentTypes);
        tools = List.copyOf(tools);
    }
}
