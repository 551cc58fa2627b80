package dev.devloop.tools.application;

/** Bounds the use cases enforce, taken from configuration. */
public record ToolSettings(
        long defaultTimeoutMs,
        long maxTimeoutMs,
        int defaultMaxOutputBytes,
        int maxOutputBytesCeiling,
        int maxCallsPerRunCeiling,
        int maxToolsPerTenant,
        int maxDescriptionChars,
        int maxSchemaBytes,
        int maxArgumentsBytes,
        int maxAllowedAgentTypes,
        long replayWaitMs,
        long replayPollMs,
        long staleClaimMs) {}
