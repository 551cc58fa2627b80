package dev.devloop.tools.application;

import java.net.URI;
import java.util.Map;
import java.util.Set;

/**
 * What the network tools may reach: Devloop's own services by name (trusted, may be loopback or
 * private) and extra hosts that must resolve to public addresses; plus their bounds.
 */
public record NetworkSettings(
        Map<String, URI> services,
        Set<String> allowedHosts,
        long timeoutMs,
        int maxMetricsBytes,
        int maxReportedMetrics) {
    public NetworkSettings {
        services = Map.copyOf(services);
        allowedHosts = Set.copyOf(allowedHosts);
    }
}
