package dev.devloop.gateway.adapters.in.rest;

import dev.devloop.contracts.openapi.SharedRefusals;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * contracts' shared refusals on every gateway operation, plus the gateway's own: 429 when the caller's rate limit is
 * spent (every route outside {@code /q/} is rate-limited).
 */
public class GatewayRefusals extends SharedRefusals {
    private static final Map<String, String> REFUSALS = new LinkedHashMap<>();

    static {
        REFUSALS.putAll(new java.util.TreeMap<>(SharedRefusals.sharedRefusals()));
        REFUSALS.put("429", "The caller's rate limit is spent; retry after Retry-After (X-RateLimit-* headers)");
    }

    @Override
    protected Map<String, String> refusals() {
        return REFUSALS;
    }
}
