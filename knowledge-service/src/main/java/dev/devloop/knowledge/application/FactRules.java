package dev.devloop.knowledge.application;

import dev.devloop.knowledge.domain.FactKey;
import dev.devloop.knowledge.ports.in.KnowledgeRefusal;
import java.nio.charset.StandardCharsets;

/** Validates fact requests against {@link FactLimits}; every failure is a 400 naming the field. */
final class FactRules {
    private final FactLimits limits;

    FactRules(FactLimits limits) {
        this.limits = limits;
    }

    FactKey key(String tenant, String entity, String attribute) {
        return new FactKey(KnowledgeTenants.checked(tenant), name("entity", entity), name("attribute", attribute));
    }

    String entity(String entity) {
        return name("entity", entity);
    }

    String value(String valueJson) {
        if (valueJson == null || valueJson.isBlank() || "null".equals(valueJson.strip())) {
            throw KnowledgeRefusal.invalid("value", "value is required");
        }
        int bytes = valueJson.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > limits.maxValueBytes()) {
            throw KnowledgeRefusal.invalid(
                    "value",
                    "value is " + bytes + " bytes as JSON; at most " + limits.maxValueBytes() + " are allowed");
        }
        return valueJson;
    }

    Long ttl(Long ttlSeconds) {
        if (ttlSeconds == null) {
            return null;
        }
        if (ttlSeconds <= 0) {
            throw KnowledgeRefusal.invalid("ttlSeconds", "ttlSeconds must be positive; omit it for no expiry");
        }
        if (ttlSeconds > limits.maxTtlSeconds()) {
            throw KnowledgeRefusal.invalid(
                    "ttlSeconds", "ttlSeconds must be at most " + limits.maxTtlSeconds() + "; omit it for no expiry");
        }
        return ttlSeconds;
    }

    private String name(String field, String value) {
        if (value == null || value.isBlank()) {
            throw KnowledgeRefusal.invalid(field, field + " must not be blank");
        }
        if (value.length() > limits.maxKeyLength()) {
            throw KnowledgeRefusal.invalid(field, field + " must be at most " + limits.maxKeyLength() + " characters");
        }
        if (value.chars().anyMatch(Character::isISOControl)) {
            throw KnowledgeRefusal.invalid(field, field + " must not contain control characters");
        }
        return value;
    }
}
