package dev.devloop.tools.domain;

import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A configured destination the network tools may probe: a name (a Devloop service or server), its host, the one
 * port and the protocol ({@code tcp} or {@code http}) allowed on it. Configured endpoints are trusted: they may
 * live on loopback or private addresses, which are refused for any other destination.
 */
public record NetworkEndpoint(String name, String host, int port, String protocol) {
    public static final Set<String> PROTOCOLS = Set.of("tcp", "http");
    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");

    public NetworkEndpoint {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("endpoint name '" + name + "' must match " + NAME.pattern());
        }
        if (host == null || host.isBlank()) {
            throw new IllegalArgumentException("endpoint " + name + " has no host");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("endpoint " + name + ": port " + port + " is not in 1..65535");
        }
        protocol = protocol == null ? "" : protocol.toLowerCase(Locale.ROOT);
        if (!PROTOCOLS.contains(protocol)) {
            throw new IllegalArgumentException("endpoint " + name + ": protocol '" + protocol + "' is not tcp or http");
        }
        host = host.toLowerCase(Locale.ROOT);
    }

    @Override
    public String toString() {
        return name + " (" + protocol + " " + host + ":" + port + ")";
    }
}
