package dev.devloop.tools.application;

import dev.devloop.tools.domain.NetworkEndpoint;
import java.net.URI;
import java.util.Map;
import java.util.Set;

/**
 * What the network tools may reach: the configured endpoints by name (trusted, may be loopback or private; only
 * their one port and protocol), Devloop's services' base URLs (for {@code /q/health/live} and {@code /q/metrics}),
 * and extra hosts that must resolve to public addresses, probed only on {@code allowedHostPorts}; plus their bounds.
 */
public record NetworkSettings(
        Map<String, NetworkEndpoint> endpoints,
        Map<String, URI> services,
        Set<String> allowedHosts,
        Set<Integer> allowedHostPorts,
        long timeoutMs,
        int maxMetricsBytes,
        int maxReportedMetrics) {
    public NetworkSettings {
        endpoints = Map.copyOf(endpoints);
        services = Map.copyOf(services);
        allowedHosts = Set.copyOf(allowedHosts);
        allowedHostPorts = Set.copyOf(allowedHostPorts);
    }
}
