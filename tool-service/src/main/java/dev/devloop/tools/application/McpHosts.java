package dev.devloop.tools.application;

import dev.devloop.tools.domain.AddressRanges;
import dev.devloop.tools.ports.in.ToolRefusal;
import dev.devloop.tools.ports.out.DownstreamException;
import dev.devloop.tools.ports.out.NetworkPort;
import java.net.InetAddress;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The address a remote MCP server is reached at: its host resolved once; a trusted host's first address as it is,
 * any other host's only when every address it resolves to is public (rule {@code ssrf}). The MCP client connects to
 * the address returned, so what was checked is what is reached.
 */
public final class McpHosts {
    private final NetworkPort network;
    private final Set<String> trustedHosts;

    public McpHosts(NetworkPort network, Set<String> trustedHosts) {
        this.network = network;
        this.trustedHosts = Set.copyOf(trustedHosts);
    }

    /** The checked address of {@code rawHost}; 400 when it does not resolve, 403 (ssrf) when it is not public. */
    public InetAddress checked(String rawHost) {
        String host = rawHost.toLowerCase(Locale.ROOT);
        String bare = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        List<InetAddress> addresses;
        try {
            addresses = network.resolve(bare);
        } catch (DownstreamException e) {
            throw ToolRefusal.invalid("url", "the host '" + bare + "' does not resolve");
        }
        if (addresses.isEmpty()) {
            throw ToolRefusal.invalid("url", "the host '" + bare + "' does not resolve");
        }
        if (trustedHosts.contains(host) || trustedHosts.contains(bare)) {
            return addresses.get(0);
        }
        for (InetAddress address : addresses) {
            Optional<String> range = AddressRanges.forbidden(address);
            if (range.isPresent()) {
                throw ToolProblems.denied(
                        "ssrf",
                        "url",
                        "'" + bare + "' resolves to " + address.getHostAddress() + ", a " + range.get()
                                + " address; only trusted hosts may be reached there");
            }
        }
        return addresses.get(0);
    }
}
