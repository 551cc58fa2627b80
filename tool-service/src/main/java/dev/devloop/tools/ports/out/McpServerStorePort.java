package dev.devloop.tools.ports.out;

import dev.devloop.tools.domain.McpServer;
import java.util.List;
import java.util.Optional;

/** Outgoing persistence port for the MCP servers each tenant imported. */
public interface McpServerStorePort {
    Optional<McpServer> find(String tenant, String name);

    List<McpServer> list(String tenant);

    /** Inserts or replaces the server keyed by (tenant, name). */
    void save(McpServer server);

    void delete(String tenant, String name);

    long count(String tenant);
}
