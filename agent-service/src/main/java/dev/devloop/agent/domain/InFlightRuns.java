package dev.devloop.agent.domain;

import java.time.Instant;

/** An agent's RUNNING runs: how many, and their oldest and latest lease renewal (heartbeat). */
public record InFlightRuns(int count, Instant oldestHeartbeat, Instant latestHeartbeat) {}
