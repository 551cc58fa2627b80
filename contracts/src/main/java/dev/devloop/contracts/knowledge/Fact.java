package dev.devloop.contracts.knowledge;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.runtime.annotations.RegisterForReflection;

/** A stored fact as returned by knowledge-service; {@code tier} is {@code short}, {@code medium} or {@code long}. */
@RegisterForReflection
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Fact(String tenant, String entity, String attribute, JsonNode value, String tier, String expiresAt) {}
