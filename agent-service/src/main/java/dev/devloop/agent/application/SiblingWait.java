package dev.devloop.agent.application;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/**
 * How a run waits out a sibling service that is away for a call that may be repeated (a model call while
 * provider-gateway is unreachable, answers 503 or the circuit to it is open): attempts {@code initialDelay} apart,
 * doubling up to {@code maxDelay} (plus up to 15 % jitter), a callee's {@code Retry-After} honoured, for at most
 * {@code maxDuration} from the first failure. {@link #NONE}: no waiting, the first failure is final.
 */
public record SiblingWait(Duration maxDuration, Duration initialDelay, Duration maxDelay) {
    public static final SiblingWait NONE = new SiblingWait(Duration.ZERO, Duration.ZERO, Duration.ZERO);

    public SiblingWait {
        if (maxDuration.isNegative() || initialDelay.isNegative() || maxDelay.compareTo(initialDelay) < 0) {
            throw new IllegalArgumentException("sibling wait: durations must be ≥ 0 and max-delay ≥ initial-delay");
        }
    }

    public boolean waits() {
        return !maxDuration.isZero();
    }

    /** The pause before attempt {@code retry} + 1 ({@code retry} ≥ 1), at least what the callee asked for. */
    Duration pause(int retry, Optional<Duration> retryAfter) {
        long base = initialDelay.toMillis() << Math.min(Math.max(0, retry - 1), 20);
        long capped = Math.min(base, maxDelay.toMillis());
        long jittered = capped + (capped >= 7 ? ThreadLocalRandom.current().nextLong(capped * 15 / 100 + 1) : 0);
        long asked = retryAfter.map(Duration::toMillis).orElse(0L);
        return Duration.ofMillis(Math.max(jittered, asked));
    }
}
