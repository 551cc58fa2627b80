package dev.devloop.provider.domain;

import java.time.Duration;

/**
 * How many calls one provider may have in flight at once and how long a call waits for a slot;
 * {@code setting} names the configuration key that set the limit (for error messages).
 */
public record BulkheadLimit(int maxConcurrent, Duration maxWait, String setting) {

    public BulkheadLimit {
        if (maxConcurrent < 1) {
            throw new IllegalArgumentException(setting + " must be at least 1, got " + maxConcurrent);
        }
        if (maxWait == null || maxWait.isNegative()) {
            throw new IllegalArgumentException("the bulkhead wait of " + setting + " must not be negative");
        }
    }
}
