package dev.devloop.tools.adapters.out.mcp;

import java.net.InetAddress;
import java.net.URI;
import java.util.Locale;

/**
 * Where a remote MCP server's requests go: the checked {@code address} and the URL's port; the URL's host only names
 * the server (Host header, TLS SNI and certificate check).
 */
record PinnedTarget(URI url, InetAddress address) {
    PinnedTarget {
        String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
        if (url.getHost() == null || !(scheme.equals("http") || scheme.equals("https")) || address == null) {
            throw new IllegalArgumentException("a pinned MCP URL needs http(s), a host and an address");
        }
    }

    boolean tls() {
        return "https".equalsIgnoreCase(url.getScheme());
    }

    int port() {
        return url.getPort() > 0 ? url.getPort() : tls() ? 443 : 80;
    }

    /** The host without an IPv6 literal's brackets. */
    String host() {
        String host = url.getHost();
        return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    }

    String pathAndQuery() {
        String path = url.getRawPath() == null || url.getRawPath().isEmpty() ? "/" : url.getRawPath();
        return url.getRawQuery() == null ? path : path + "?" + url.getRawQuery();
    }
}
