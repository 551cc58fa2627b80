package dev.devloop.tools.ports.in;

import dev.devloop.contracts.Headers;
import dev.devloop.contracts.Tenants;
import java.util.regex.Pattern;

/** Shapes of the identifiers commands accept; a mismatch is a 400 naming the field. */
public final class Identifiers {
    /** Tool ids: what providers accept as function names. */
    public static final Pattern TOOL_ID = Pattern.compile("[a-zA-Z][a-zA-Z0-9_-]{0,63}");
    /** Agent types, agent ids, run ids and idempotency keys: printable, key-safe. */
    public static final Pattern REFERENCE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.:@-]{0,127}");

    /** The tenant every command carries, as {@link Headers#TENANT} names it (the same answer as contracts' check). */
    public static String tenant(String tenant) {
        if (tenant == null || tenant.isBlank()) {
            throw ToolRefusal.invalid(Headers.TENANT, "the " + Headers.TENANT + " header is required");
        }
        if (!Tenants.PATTERN.matcher(tenant).matches()) {
            throw ToolRefusal.invalid(Headers.TENANT, "tenant must match " + Tenants.PATTERN.pattern());
        }
        return tenant;
    }

    public static String required(String field, String value, Pattern pattern) {
        if (value == null || value.isBlank()) {
            throw ToolRefusal.invalid(field, field + " is required");
        }
        return matching(field, value, pattern);
    }

    public static String optional(String field, String value, Pattern pattern) {
        if (value == null || value.isEmpty()) {
            return null;
        }
        return matching(field, value, pattern);
    }

    private static String matching(String field, String value, Pattern pattern) {
        if (!pattern.matcher(value).matches()) {
            throw ToolRefusal.invalid(field, field + " must match " + pattern.pattern());
        }
        return value;
    }

    private Identifiers() {}
}
