package dev.devloop.agent.adapters.in.rest;

import jakarta.validation.constraints.NotBlank;

/** Body of {@code POST /agents/{ref}/runs}. */
public record StartRunBody(
        @NotBlank(message = "input is required") String input) {}
