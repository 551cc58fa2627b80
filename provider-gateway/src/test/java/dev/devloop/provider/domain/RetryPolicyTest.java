package dev.devloop.provider.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class RetryPolicyTest {
    private static final Instant NOW = Instant.parse("2026-11-25T10:00:00Z");
    private final RetryPolicy policy =
            new RetryPolicy(2, Duration.ofMillis(200), Duration.ofMillis(300), Duration.ofSeconds(5));

    private static ProviderFailure failure(ProviderFailure.Kind kind, String retryAfter) {
        return new ProviderFailure(kind, "p", "x", retryAfter, null);
    }

    @Test
    void backOffIsJitteredExponentialAndCapped() {
        ProviderFailure f = failure(ProviderFailure.Kind.UPSTREAM_ERROR, null);
        assertThat(policy.delay(0, f, 0.0, NOW)).contains(Duration.ofMillis(100));
        assertThat(policy.delay(0, f, 0.999, NOW).orElseThrow())
                .isBetween(Duration.ofMillis(100), Duration.ofMillis(200));
        assertThat(policy.delay(1, f, 0.999, NOW).orElseThrow()).isLessThanOrEqualTo(Duration.ofMillis(300)); // capped
        assertThat(policy.delay(2, f, 0.5, NOW)).isEmpty(); // retries used up
    }

    @Test
    void onlyRetryableKindsAreRetried() {
        for (ProviderFailure.Kind k : ProviderFailure.Kind.values()) {
            boolean expected = k == ProviderFailure.Kind.RATE_LIMITED
                    || k == ProviderFailure.Kind.UPSTREAM_ERROR
                    || k == ProviderFailure.Kind.UNREACHABLE;
            assertThat(policy.delay(0, failure(k, null), 0.5, NOW).isPresent())
                    .as(k.name())
                    .isEqualTo(expected);
        }
    }

    @Test
    void retryAfterIsRespectedWithinTheBound() {
        assertThat(policy.delay(0, failure(ProviderFailure.Kind.RATE_LIMITED, "3"), 0.5, NOW))
                .contains(Duration.ofSeconds(3));
        assertThat(policy.delay(0, failure(ProviderFailure.Kind.RATE_LIMITED, "30"), 0.5, NOW))
                .isEmpty();
        assertThat(policy.delay(
                        0, failure(ProviderFailure.Kind.RATE_LIMITED, "Wed, 25 Nov 2026 10:00:04 GMT"), 0.5, NOW))
                .contains(Duration.ofSeconds(4));
        assertThat(policy.delay(0, failure(ProviderFailure.Kind.RATE_LIMITED, "soon"), 0.5, NOW))
                .isEmpty();
    }

    @Test
    void fallbackKindsExcludeRequestCausedFailures() {
        assertThat(ProviderFailure.Kind.RATE_LIMITED.fallsBack()).isTrue();
        assertThat(ProviderFailure.Kind.UPSTREAM_ERROR.fallsBack()).isTrue();
        assertThat(ProviderFailure.Kind.UNREACHABLE.fallsBack()).isTrue();
        assertThat(ProviderFailure.Kind.CIRCUIT_OPEN.fallsBack()).isTrue();
        assertThat(ProviderFailure.Kind.BULKHEAD_FULL.fallsBack()).isTrue();
        assertThat(ProviderFailure.Kind.REQUEST_REJECTED.fallsBack()).isFalse();
        assertThat(ProviderFailure.Kind.CREDENTIALS_REJECTED.fallsBack()).isFalse();
        assertThat(ProviderFailure.Kind.MALFORMED_RESPONSE.fallsBack()).isFalse();
    }
}
