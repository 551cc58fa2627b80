package dev.devloop.contracts.knowledge;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * Body of knowledge-service's {@code PUT /facts/{entity}/{attribute}}. The TTL picks the tier:
 * below 60 s Redis, below 86 400 s MongoDB, none or longer Neo4j.
 */
@RegisterForReflection
public record FactWrite(JsonNode value, Long ttlSeconds) {}
