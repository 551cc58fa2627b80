package dev.devloop.provider.domain;

import java.time.Instant;

/**
 * One audited change of a tenant's safety settings: who ({@code subject}), when, what it was before and what
 * it became, and the reason given.
 */
public record SafetyAudit(
        String id,
        String tenant,
        String subject,
        Instant at,
        boolean previousPiiRedaction,
        String previousInjectionMode,
        boolean piiRedaction,
        String injectionMode,
        String reason) {}
