package dev.devloop.provider.domain;

import java.time.Instant;

/** One answered call as the usage ledger and the usage topic see it; {@code costUsd} is null when the model has no price. */
public record UsageRecord(
        String id,
        String tenant,
        String agentId,
        String provider,
        String model,
        long inputTokens,
        long outputTokens,
        long totalTokens,
        boolean cached,
        boolean streamed,
        String finishReason,
        long latencyMs,
        Instant at,
        Double costUsd) {}
