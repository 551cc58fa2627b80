package dev.devloop.gateway.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ApiVersionPolicyTest {
    private static final Instant NOW = Instant.parse("2026-11-25T12:00:00Z");
    private final ApiVersionPolicy policy = new ApiVersionPolicy(
            2,
            Map.of(1, Instant.parse("2027-06-30T00:00:00Z"), 0, Instant.parse("2026-01-01T00:00:00Z")),
            Map.of(1, Instant.parse("2026-10-01T00:00:00Z")));

    @Test
    void theCurrentVersionIsServedFromThePathTheHeaderOrByDefault() {
        assertThat(policy.decide("2", null, NOW)).isEqualTo(new ApiVersionPolicy.Decision.Serve(2, null));
        assertThat(policy.decide(null, "2", NOW)).isEqualTo(new ApiVersionPolicy.Decision.Serve(2, null));
        assertThat(policy.decide(null, "v2", NOW)).isEqualTo(new ApiVersionPolicy.Decision.Serve(2, null));
        assertThat(policy.decide(null, null, NOW)).isEqualTo(new ApiVersionPolicy.Decision.Serve(2, null));
    }

    @Test
    void aDeprecatedVersionIsServedWithItsDatesUntilItsSunsetThenRetired() {
        assertThat(policy.decide("1", null, NOW))
                .isEqualTo(new ApiVersionPolicy.Decision.Serve(
                        1,
                        new ApiVersionPolicy.Deprecated(
                                1, Instant.parse("2026-10-01T00:00:00Z"), Instant.parse("2027-06-30T00:00:00Z"))));
        assertThat(policy.decide("1", null, Instant.parse("2027-06-30T00:00:00Z")))
                .isEqualTo(new ApiVersionPolicy.Decision.Retired(1, Instant.parse("2027-06-30T00:00:00Z")));
        assertThat(policy.decide(null, "0", NOW)).isInstanceOf(ApiVersionPolicy.Decision.Retired.class);
    }

    @Test
    void unknownContradictingAndMalformedVersionsAreRefused() {
        assertThat(policy.decide("7", null, NOW)).isEqualTo(new ApiVersionPolicy.Decision.Unknown("7"));
        assertThat(policy.decide("beta", null, NOW)).isEqualTo(new ApiVersionPolicy.Decision.Unknown("beta"));
        assertThat(policy.decide("2", "1", NOW)).isInstanceOf(ApiVersionPolicy.Decision.Invalid.class);
        assertThat(policy.decide(null, "latest", NOW)).isInstanceOf(ApiVersionPolicy.Decision.Invalid.class);
    }
}
