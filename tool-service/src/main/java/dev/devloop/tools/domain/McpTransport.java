package dev.devloop.tools.domain;

/** How a remote MCP server is reached: the streamable HTTP transport or the older HTTP+SSE one. */
public enum McpTransport {
    STREAMABLE_HTTP("streamable-http"),
    SSE("sse");

    private final String wire;

    McpTransport(String wire) {
        this.wire = wire;
    }

    /** The name used on the wire and in storage. */
    public String wire() {
        return wire;
    }

    /** Parses a wire name; returns null when it names no transport. */
    public static McpTransport fromWire(String value) {
        for (McpTransport transport : values()) {
            if (transport.wire.equals(value)) {
                return transport;
            }
        }
        return null;
    }
}
