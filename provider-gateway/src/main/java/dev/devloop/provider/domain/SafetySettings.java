package dev.devloop.provider.domain;

import java.time.Instant;

/**
 * A tenant's safety settings at the model boundary: PII redaction of what goes to the providers (on unless an
 * admin turned it off) and the prompt-injection mode. {@code updatedAt}/{@code updatedBy} are null while the
 * tenant runs on the configured defaults.
 */
public record SafetySettings(boolean piiRedaction, InjectionMode injectionMode, Instant updatedAt, String updatedBy) {

    public SafetySettings {
        if (injectionMode == null) {
            throw new IllegalArgumentException("injectionMode is required");
        }
    }

    /** The configured defaults (no change recorded). */
    public static SafetySettings defaults(boolean piiRedaction, InjectionMode injectionMode) {
        return new SafetySettings(piiRedaction, injectionMode, null, null);
    }
}
