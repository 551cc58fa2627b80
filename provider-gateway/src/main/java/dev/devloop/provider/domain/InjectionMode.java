package dev.devloop.provider.domain;

import java.util.Locale;
import java.util.Optional;

/**
 * What provider-gateway does with a request whose prompt-injection score reaches the threshold: {@code block}
 * it (400 {@code prompt-injection-detected}), {@code flag} it (served, counted, the score returned), or
 * screen nothing ({@code off}).
 */
public enum InjectionMode {
    BLOCK,
    FLAG,
    OFF;

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<InjectionMode> of(String wire) {
        if (wire == null) {
            return Optional.empty();
        }
        for (InjectionMode m : values()) {
            if (m.wire().equals(wire)) {
                return Optional.of(m);
            }
        }
        return Optional.empty();
    }
}
