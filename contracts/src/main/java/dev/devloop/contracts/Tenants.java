package dev.devloop.contracts;

import dev.devloop.contracts.problem.ProblemException;
import java.util.regex.Pattern;

/** Validates the tenant every internal call carries in {@link Headers#TENANT}. */
public final class Tenants {
    /** Tenant ids are short, URL- and key-safe: they become parts of Redis keys and Kafka keys. */
    public static final Pattern PATTERN = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}");

    /** Returns the tenant or throws a 400 problem naming the header. */
    public static String require(String header) {
        if (header == null || header.isBlank()) {
            throw ProblemException.badRequest(Headers.TENANT, "the " + Headers.TENANT + " header is required");
        }
        if (!PATTERN.matcher(header).matches()) {
            throw ProblemException.badRequest(Headers.TENANT, "tenant must match " + PATTERN.pattern());
        }
        return header;
    }

    /**
     * The tenant of a CloudEvent, from its {@code tenant} extension attribute: a missing or malformed one is refused
     * naming the attribute (a message has no HTTP header), so the dead-letter reason says what to fix.
     */
    public static String requireEventAttribute(String attribute) {
        if (attribute == null || attribute.isBlank()) {
            throw new IllegalArgumentException("the CloudEvent extension attribute 'tenant' is required");
        }
        if (!PATTERN.matcher(attribute).matches()) {
            throw new IllegalArgumentException("the CloudEvent attribute 'tenant' must match " + PATTERN.pattern());
        }
        return attribute;
    }

    private Tenants() {}
}
