package dev.devloop.tools.domain;

import java.time.Instant;

/** A line of agent activity recorded by the {@code log_activity} tool. */
public record ActivityRecord(
        String tenant, String agentId, String agentType, String runId, String level, String message, Instant at) {}
