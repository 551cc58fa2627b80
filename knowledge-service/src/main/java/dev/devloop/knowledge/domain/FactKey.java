package dev.devloop.knowledge.domain;

import java.util.Objects;

/** Identity of a fact: one value per tenant, entity and attribute. */
public record FactKey(String tenant, String entity, String attribute) {
    public FactKey {
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(entity, "entity");
        Objects.requireNonNull(attribute, "attribute");
    }
}
