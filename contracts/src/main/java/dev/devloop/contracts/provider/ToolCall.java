package dev.devloop.contracts.provider;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.runtime.annotations.RegisterForReflection;

/** A tool call the model asked for; {@code arguments} is parsed JSON (an object), never a string. */
@RegisterForReflection
public record ToolCall(String id, String name, JsonNode arguments) {}
