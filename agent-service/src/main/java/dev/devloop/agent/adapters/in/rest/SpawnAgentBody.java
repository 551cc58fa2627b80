package dev.devloop.agent.adapters.in.rest;

import jakarta.validation.constraints.NotBlank;

/** Body of {@code POST /agents}. */
public record SpawnAgentBody(
        @NotBlank(message = "type is required") String type, String parentId) {}
