package dev.devloop.tools.adapters.out.mcp;

/** A remote MCP server's HTTP exchange failed; the message says how, for the caller's error. */
final class McpHttpFailure extends RuntimeException {
    McpHttpFailure(String message) {
        super(message, null, false, false);
    }
}
