package dev.devloop.contracts.provider;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.runtime.annotations.RegisterForReflection;

/** A tool offered to a model: name, description and JSON-schema parameters (an object schema). */
@RegisterForReflection
public record ToolSpec(String name, String description, JsonNode parameters) {}
