package dev.devloop.agent.adapters.out.http;

import dev.devloop.agent.ports.out.ToolPort;
import dev.devloop.contracts.provider.ToolSpec;
import dev.devloop.contracts.tools.ToolInvocationRequest;
import dev.devloop.contracts.tools.ToolInvocationResult;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

/** Outbound adapter: the tool port served by tool-service. */
@ApplicationScoped
class ToolServiceAdapter implements ToolPort {
    /** Registrations change rarely; their limits and flags are cached briefly per (tenant, tool), bounded in size. */
    private static final long LIMIT_TTL_NANOS = java.time.Duration.ofSeconds(60).toNanos();

    private static final int MAX_CACHED_LIMITS = 10_000;
    private final ToolServiceCalls calls;
    private final java.util.Map<String, CachedLimit> limits = new java.util.concurrent.ConcurrentHashMap<>();

    private record CachedLimit(
            java.util.OptionalInt maxCallsPerRun, boolean writesGraph, boolean enabled, long expiresAt) {}

    ToolServiceAdapter(ToolServiceCalls calls) {
        this.calls = calls;
    }

    @Override
    public java.util.OptionalInt maxCallsPerRun(String tenant, String toolId) {
        CachedLimit registration = registration(tenant, toolId);
        return registration == null ? java.util.OptionalInt.empty() : registration.maxCallsPerRun();
    }

    /**
     * A registration that cannot be read (tool-service down) counts as writing the graph: the gate then
     * asks an operator rather than letting a write through unchecked.
     */
    @Override
    public boolean writesGraph(String tenant, String toolId) {
        CachedLimit registration = registration(tenant, toolId);
        return registration == null || registration.writesGraph();
    }

    /** A tool is off only when its registration says so; unknown or unreadable registrations do not switch it off. */
    @Override
    public boolean enabled(String tenant, String toolId) {
        CachedLimit registration = registration(tenant, toolId);
        return registration == null || registration.enabled();
    }

    /** The cached registration facts; null when the registry cannot tell right now (not cached). */
    private CachedLimit registration(String tenant, String toolId) {
        String key = tenant + "\u0000" + toolId;
        long now = System.nanoTime();
        CachedLimit cached = limits.get(key);
        if (cached != null && now - cached.expiresAt() < 0) {
            return cached;
        }
        java.util.OptionalInt limit;
        boolean writes;
        boolean enabled;
        try {
            com.fasterxml.jackson.databind.JsonNode registration =
                    DownstreamErrors.guarded(ToolServiceCalls.SERVICE, () -> calls.registration(tenant, toolId));
            com.fasterxml.jackson.databind.JsonNode max =
                    registration.path("limits").path("maxCallsPerRun");
            limit = max.canConvertToInt() && max.asInt() > 0
                    ? java.util.OptionalInt.of(max.asInt())
                    : java.util.OptionalInt.empty();
            writes = registration.path("writesGraph").asBoolean(false);
            enabled = registration.path("enabled").asBoolean(true);
        } catch (dev.devloop.agent.ports.out.DownstreamException e) {
            if (e.status() != 404) {
                // the registry cannot tell right now: no local limit (tool-service still enforces its own tools')
                return null;
            }
            limit = java.util.OptionalInt.empty();
            writes = false;
            enabled = true;
        }
        if (limits.size() >= MAX_CACHED_LIMITS) {
            limits.clear();
        }
        CachedLimit fresh = new CachedLimit(limit, writes, enabled, now + LIMIT_TTL_NANOS);
        limits.put(key, fresh);
        return fresh;
    }

    @Override
    public List<ToolSpec> specsFor(String tenant, String agentType) {
        return DownstreamErrors.guarded(ToolServiceCalls.SERVICE, () -> calls.specs(tenant, agentType));
    }

    @Override
    public ToolInvocationResult invoke(String tenant, String toolId, ToolInvocationRequest request) {
        return DownstreamErrors.guarded(ToolServiceCalls.SERVICE, () -> calls.invoke(tenant, toolId, request));
    }
}
