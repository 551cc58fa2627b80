package dev.devloop.tools.ports.out;

import com.fasterxml.jackson.databind.JsonNode;
import dev.devloop.tools.domain.McpTransport;
import java.net.InetAddress;
import java.util.List;

/**
 * Outgoing port to remote MCP servers: list their tools and call one. Failures are {@link DownstreamException}s.
 * A connection is pinned: when the adapter (re)creates a server's client it asks the caller's {@link AddressCheck}
 * for the server's address and connects only there, never looking the URL's host up again.
 */
public interface McpClientPort {
    /**
     * Resolves a server's host and checks the address (the caller's rules); the client connects to the answer. Its
     * refusals pass through the port unchanged.
     */
    @FunctionalInterface
    interface AddressCheck {
        InetAddress checked(String host);
    }

    /** Which server: the tenant and name it is cached under, its URL and transport. */
    record Endpoint(String tenant, String name, String url, McpTransport transport) {}

    /** A tool as the remote server describes it. */
    record RemoteTool(String name, String description, JsonNode inputSchema) {}

    /** What the remote tool returned: its text, structured content if any, and whether it reported an error. */
    record RemoteResult(boolean error, String text, JsonNode structured) {}

    List<RemoteTool> listTools(Endpoint endpoint, AddressCheck check);

    RemoteResult call(Endpoint endpoint, AddressCheck check, String tool, JsonNode arguments, long timeoutMs);

    /** Drops and closes any connection kept for this server. */
    void forget(String tenant, String name);
}
