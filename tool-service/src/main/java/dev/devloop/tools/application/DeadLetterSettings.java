package dev.devloop.tools.application;

import java.util.Set;

/**
 * What the dead-letter tools may touch and how far one call goes: the replayable dead-letter topics, the consumer
 * group whose committed offsets mark what was replayed, the bounds of one replay (bytes, read time, acknowledgement
 * wait), how many samples {@code dead_letters} shows and how much of each payload.
 */
public record DeadLetterSettings(
        Set<String> topics,
        Set<String> operatorTenants,
        String group,
        long maxBytes,
        long readTimeLimitMs,
        long ackTimeoutMs,
        int samples,
        int previewChars) {
    public DeadLetterSettings {
        topics = Set.copyOf(topics);
        operatorTenants = Set.copyOf(operatorTenants);
    }
}
