package dev.devloop.provider.domain;

/** Bounds on one generate request; beyond them the request is rejected before any upstream call. */
public record RequestLimits(
        int maxMessages,
        int maxTotalChars,
        int maxTools,
        int maxSchemaDepth,
        int maxOutputTokens,
        int maxStopSequences) {}
