package dev.devloop.tools.domain;

import java.util.Locale;

/** What executes a tool: this service natively, knowledge-service, a remote MCP server, or agent-service. */
public enum ToolKind {
    NATIVE,
    KNOWLEDGE,
    MCP,
    AGENT;

    /** The lowercase name used on the wire and in storage. */
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses a wire name; returns null when it names no kind. */
    public static ToolKind fromWire(String value) {
        if (value == null) {
            return null;
        }
        for (ToolKind kind : values()) {
            if (kind.wire().equals(value)) {
                return kind;
            }
        }
        return null;
    }
}
