package dev.devloop.gateway.application;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.devloop.gateway.domain.Caller;
import dev.devloop.gateway.domain.RateLimitDecision;
import dev.devloop.gateway.domain.RateLimitPolicy;
import dev.devloop.gateway.ports.out.RateLimitPort;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The per-role policy: the caller's most privileged role picks the limit, the key is tenant + subject + route. */
class RateLimitServiceTest {
    private final List<String> asked = new ArrayList<>();
    private final RateLimitPort counter = (tenant, subject, route, limit, window) -> {
        asked.add(tenant + "/" + subject + "/" + route + "/" + limit + "/" + window.toSeconds());
        return new RateLimitDecision(true, limit, limit - 1, window.toSeconds());
    };
    private final RateLimitService service = new RateLimitService(
            counter,
            new RateLimitPolicy(Map.of("admin", 100, "operator", 50, "viewer", 10), 5, Duration.ofSeconds(60)));

    @Test
    void theHighestRoleWins() {
        service.check(new Caller("a", "acme", Set.of("viewer", "admin")), "runs.get");
        service.check(new Caller("o", "acme", Set.of("operator")), "runs.start");
        service.check(new Caller("g", "beta", Set.of("guest")), "runs.get");
        assertThat(asked).containsExactly("acme/a/runs.get/100/60", "acme/o/runs.start/50/60", "beta/g/runs.get/5/60");
    }

    @Test
    void limitsMustBePositive() {
        assertThatThrownBy(() -> new RateLimitPolicy(Map.of("viewer", 0), 5, Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new RateLimitPolicy(Map.of(), 5, Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void decisionsAreClamped() {
        RateLimitDecision d = new RateLimitDecision(false, 3, -2, 0);
        assertThat(d.remaining()).isZero();
        assertThat(d.resetSeconds()).isEqualTo(1);
    }
}
