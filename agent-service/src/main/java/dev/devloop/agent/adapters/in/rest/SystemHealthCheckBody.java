package dev.devloop.agent.adapters.in.rest;

import jakarta.validation.constraints.Size;
import java.util.List;

/** Body of {@code POST /system-health/checks}: an optional issue and, optionally, only some components. */
public record SystemHealthCheckBody(
        String issue,
        @Size(max = 50, message = "at most 50 components") List<@Size(min = 1, max = 128) String> components) {}
