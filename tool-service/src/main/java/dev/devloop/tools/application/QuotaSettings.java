package dev.devloop.tools.application;

import java.util.Map;

/** Tool calls a tenant may make per minute and per day (0 = unlimited), with per-tenant overrides. */
public record QuotaSettings(boolean enabled, Limits defaults, Map<String, Limits> tenants) {
    /** The two windows' ceilings. */
    public record Limits(long perMinute, long perDay) {}

    public QuotaSettings {
        tenants = Map.copyOf(tenants);
    }

    public Limits of(String tenant) {
        return tenants.getOrDefault(tenant, defaults);
    }

    public static QuotaSettings unlimited() {
        return new QuotaSettings(false, new Limits(0, 0), Map.of());
    }
}
