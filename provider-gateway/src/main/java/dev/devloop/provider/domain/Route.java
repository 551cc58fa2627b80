package dev.devloop.provider.domain;

import java.util.Locale;

/** One provider and model a request may go to; a fallback chain is an ordered list of them. */
public record Route(String provider, String model) {

    /** Parses {@code provider/model}; the model part may itself contain slashes. */
    public static Route parse(String spec) {
        int slash = spec == null ? -1 : spec.indexOf('/');
        if (slash <= 0 || slash == spec.length() - 1) {
            throw new IllegalArgumentException("a route is written provider/model, got '" + spec + "'");
        }
        return new Route(
                spec.substring(0, slash).trim().toLowerCase(Locale.ROOT),
                spec.substring(slash + 1).trim());
    }

    @Override
    public String toString() {
        return provider + "/" + model;
    }
}
