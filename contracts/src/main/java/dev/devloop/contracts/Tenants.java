package dev.devloop.contracts;

import java.util.regex.Pattern;

/**
 * The tenant id format. A request's tenant comes from the verified caller ({@code identity.Caller}); an event's
 * from its CloudEvent attribute, checked here.
 */
public final class Tenants {
    /** Tenant ids are short, URL- and key-safe: they become parts of Redis keys and Kafka keys. */
    public static final Pattern PATTERN = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}");

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
