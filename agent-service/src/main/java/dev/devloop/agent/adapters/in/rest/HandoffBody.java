package dev.devloop.agent.adapters.in.rest;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

/** Body of {@code POST /agents/{id}/handoffs}. */
public record HandoffBody(
        @NotBlank(message = "toAgentType is required") @Size(max = 64, message = "toAgentType is at most 64 characters")
        String toAgentType,

        @NotBlank(message = "task is required") String task,
        String context) {}
