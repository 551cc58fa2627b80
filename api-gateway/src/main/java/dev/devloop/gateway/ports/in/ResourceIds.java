package dev.devloop.gateway.ports.in;

import dev.devloop.contracts.problem.Refusal;
import java.util.regex.Pattern;

/** Validates the ids and agent references clients put in gateway paths before they travel on. */
public final class ResourceIds {
    /** Ids and agent types are short and URL-safe. */
    public static final Pattern PATTERN = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.:-]{0,127}");

    private ResourceIds() {}

    /** Returns {@code value} or throws a 400 problem naming {@code field}. */
    public static String require(String field, String value) {
        if (value == null || value.isBlank()) {
            throw Refusal.invalid(field, field + " is required");
        }
        if (!PATTERN.matcher(value).matches()) {
            throw Refusal.invalid(field, field + " must match " + PATTERN.pattern());
        }
        return value;
    }
}
