package dev.devloop.agent.domain;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/** What a health check found for one Devloop component: status, why, and the metrics read. */
public record ComponentHealth(
        String component, String url, Status status, String detail, Map<String, Double> metrics, Instant checkedAt) {

    /** UP: healthy; DEGRADED: answering but failing too often; DOWN: not ready or unreachable. */
    public enum Status {
        UP,
        DEGRADED,
        DOWN
    }

    public ComponentHealth {
        metrics = metrics == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(metrics));
    }

    public boolean healthy() {
        return status == Status.UP;
    }
}
