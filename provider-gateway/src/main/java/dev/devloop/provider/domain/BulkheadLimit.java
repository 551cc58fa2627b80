package dev.devloop.provider.domain;

/**
 * How many calls one provider may have in flight at once (a call beyond that is refused);
 * {@code setting} names the configuration key that set the limit (for error messages).
 */
public record BulkheadLimit(int maxConcurrent, String setting) {

    public BulkheadLimit {
        if (maxConcurrent < 1) {
            throw new IllegalArgumentException(setting + " must be at least 1, got " + maxConcurrent);
        }
    }
}
