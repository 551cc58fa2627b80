package dev.devloop.tools.ports.in;

import dev.devloop.tools.domain.McpTransport;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Import of a remote MCP server: a name (lowercase letters, digits and dashes, so that {@code
 * mcp_<name>_<tool>} stays unambiguous), an http(s) URL, the transport, and the agent types that may
 * call its tools. Null {@code timeoutMs} takes the configured default.
 */
public record RegisterMcpServerCommand(
        String tenant, String name, URI url, McpTransport transport, List<String> allowedAgentTypes, Long timeoutMs) {
    /** Server names. */
    public static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,31}");

    public RegisterMcpServerCommand {
        tenant = Identifiers.tenant(tenant);
        name = Identifiers.required("name", name, NAME);
        if (url == null) {
            throw ToolRefusal.invalid("url", "url is required");
        }
        if (transport == null) {
            throw ToolRefusal.invalid("transport", "transport must be streamable-http or sse");
        }
        if (allowedAgentTypes == null || allowedAgentTypes.isEmpty()) {
            throw ToolRefusal.invalid("allowedAgentTypes", "allowedAgentTypes must name at least one agent type or *");
        }
        for (String type : allowedAgentTypes) {
            if (!"*".equals(type)) {
                Identifiers.required("allowedAgentTypes", type, Identifiers.REFERENCE);
            }
        }
        allowedAgentTypes = List.copyOf(allowedAgentTypes);
    }

    /** Parses and checks the shape of a URL: absolute http or https, a host, no user info, no fragment. */
    public static URI parseUrl(String value, int maxChars) {
        if (value == null || value.isBlank()) {
            throw ToolRefusal.invalid("url", "url is required");
        }
        if (value.length() > maxChars) {
            throw ToolRefusal.invalid("url", "url must be at most " + maxChars + " characters");
        }
        URI uri;
        try {
            uri = new URI(value);
        } catch (URISyntaxException e) {
            throw ToolRefusal.invalid("url", "url is not a valid URI: " + e.getReason());
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw ToolRefusal.invalid("url", "url must use http or https");
        }
        if (uri.getHost() == null || uri.getHost().isBlank()) {
            throw ToolRefusal.invalid("url", "url must name a host");
        }
        if (uri.getRawUserInfo() != null) {
            throw ToolRefusal.invalid("url", "url must not carry user info");
        }
        if (uri.getRawFragment() != null) {
            throw ToolRefusal.invalid("url", "url must not carry a fragment");
        }
        return uri;
    }
}
