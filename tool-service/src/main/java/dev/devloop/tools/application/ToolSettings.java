package dev.devloop.tools.application;

/**
 * Bounds the use cases enforce, taken from configuration. {@code staleClaimMs}: past the tool's deadline, the age at
 * which a pending claim written without a lease (by an older version) counts as abandoned; {@code claimLeaseMs}: how
 * long a pending claim stays its holder's without a renewal, renewed every {@code claimRenewMs} while the tool runs;
 * {@code resultWriteWaitMs}: how long a finished call keeps retrying to record its result while the store is away.
 */
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
        long staleClaimMs,
        long claimLeaseMs,
        long claimRenewMs,
        long resultWriteWaitMs) {}
