package dev.devloop.tools.application;

import java.util.Set;

/**
 * Bounds of MCP imports: hosts trusted even on loopback or private addresses, the deadline of an
 * imported tool, how many servers a tenant and tools a server may bring, and the longest URL.
 */
public record McpSettings(
        Set<String> trustedHosts, long toolTimeoutMs, int maxServersPerTenant, int maxToolsPerServer, int maxUrlChars) {
    public McpSettings {
        trustedHosts = Set.copyOf(trustedHosts);
    }
}
