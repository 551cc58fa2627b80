package dev.devloop.tools.ports.in;

import dev.devloop.tools.domain.McpServer;
import java.util.List;

/** Incoming port: import a remote MCP server's tools, list the imported servers, remove one. */
public interface ManageMcpServersUseCase {
    /** A remote tool that was not imported, and why. */
    record Skipped(String tool, String reason) {}

    /** The stored server, whether it is new, and the remote tools left out. */
    record Import(McpServer server, boolean created, List<Skipped> skipped) {}

    Import register(RegisterMcpServerCommand command);

    List<McpServer> list(String tenant);

    /** Removes the server and disables every tool imported from it. */
    McpServer remove(String tenant, String name);
}
