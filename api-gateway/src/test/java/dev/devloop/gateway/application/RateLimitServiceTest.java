package dev.devloop.gateway.application;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.devloop.gateway.domain.Caller;
import dev.devloop.gateway.domain.LeasePolicy;
import dev.devloop.gateway.domain.RateLimitDecision;
import dev.devloop.gateway.domain.RateLimitLease;
import dev.devloop.gateway.domain.RateLimitPolicy;
import dev.devloop.gateway.ports.out.RateLimitPort;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The per-role policy: the caller's most privileged role picks the limit, the key is tenant + subject + route. */
class RateLimitServiceTest {
    private final List<String> asked = new ArrayList<>();
    private final RateLimitPort counter = (tenant, subject, route, limit, window) -> {
        asked.add(tenant + "/" + subject + "/" + route + "/" + limit + "/" + window.toSeconds());
        return new RateLimitDecision(true, limit, limit - 1, window.toSeconds());
    };
    private final AtomicLong now = new AtomicLong();
    private final RateLimitService service = service(counter, LeasePolicy.NONE, 100);

    /** Admin {@code adminLimit}, operator 50, viewer 10, anyone else 5 requests per 60 s; leases on {@link #now}. */
    private RateLimitService service(RateLimitPort port, LeasePolicy leases, int adminLimit) {
        return new RateLimitService(
                port,
                new RateLimitPolicy(
                        Map.of("admin", adminLimit, "operator", 50, "viewer", 10), 5, Duration.ofSeconds(60)),
                leases,
                now::get);
    }

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

    /** An exact in-memory window (no clock: nothing leaves it) that records each call's kind and size. */
    private static final class Window implements RateLimitPort {
        final List<Integer> calls = new ArrayList<>();
        int count;

        @Override
        public RateLimitDecision acquire(String tenant, String subject, String route, int limit, Duration window) {
            calls.add(1);
            boolean allowed = count < limit;
            if (allowed) {
                count++;
            }
            return new RateLimitDecision(allowed, limit, limit - count, 60);
        }

        @Override
        public CompletionStage<RateLimitLease> leaseAsync(
                String tenant, String subject, String route, int limit, Duration window, int tokens) {
            calls.add(tokens);
            int granted = Math.max(0, Math.min(tokens, limit - count));
            count += granted;
            return CompletableFuture.completedFuture(
                    new RateLimitLease(granted, new RateLimitDecision(granted > 0, limit, limit - count, 60)));
        }
    }

    private static final LeasePolicy LEASES = new LeasePolicy(8, 0.01, Duration.ofSeconds(1), 2);

    private static boolean allowed(RateLimitService service, Caller caller) {
        return service.checkAsync(caller, "agent-types.list")
                .toCompletableFuture()
                .join()
                .allowed();
    }

    @Test
    void aLargeLimitIsSpentFromLeasesWithOneCounterCallPerLeaseAndNeverBeyondTheLimit() {
        Window window = new Window();
        RateLimitService service = service(window, LEASES, 500); // 1 % of 500 = 5 tokens per lease
        Caller admin = new Caller("a", "acme", Set.of("admin"));
        List<RateLimitDecision> decisions = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            decisions.add(service.checkAsync(admin, "agent-types.list")
                    .toCompletableFuture()
                    .join());
        }
        assertThat(window.calls).containsExactly(5, 5);
        assertThat(decisions).allMatch(RateLimitDecision::allowed);
        assertThat(decisions)
                .extracting(RateLimitDecision::remaining)
                .containsExactly(499, 498, 497, 496, 495, 494, 493, 492, 491, 490);

        int admitted = 10;
        while (allowed(service, admin)) {
            admitted++;
        }
        assertThat(admitted).isEqualTo(500);
        assertThat(window.count).isEqualTo(500);
        assertThat(allowed(service, admin)).isFalse();
    }

    @Test
    void aLeasedTokenIsTakenWithoutAStageAndAnsweredAsCheckAsyncWould() {
        Window window = new Window();
        RateLimitService service = service(window, LEASES, 500); // 5 tokens per lease
        Caller admin = new Caller("a", "acme", Set.of("admin"));
        Caller viewer = new Caller("v", "acme", Set.of("viewer"));
        assertThat(service.checkLeased(admin, "agent-types.list"))
                .as("no lease yet")
                .isNull();
        assertThat(allowed(service, admin)).isTrue();
        RateLimitDecision leased = service.checkLeased(admin, "agent-types.list");
        assertThat(leased).isEqualTo(new RateLimitDecision(true, 500, 498, 60));
        assertThat(service.checkLeased(admin, "tools.list"))
                .as("a lease per route")
                .isNull();
        assertThat(window.calls).as("the lease was taken from memory").containsExactly(5);
        for (int i = 0; i < 3; i++) {
            assertThat(service.checkLeased(admin, "agent-types.list")).isNotNull();
        }
        assertThat(service.checkLeased(admin, "agent-types.list"))
                .as("the lease is spent")
                .isNull();
        assertThat(allowed(service, viewer)).isTrue();
        assertThat(service.checkLeased(viewer, "agent-types.list"))
                .as("a small limit never leases")
                .isNull();
    }

    @Test
    void aSmallLimitAsksTheCounterForEveryRequestExactlyAsBefore() {
        Window window = new Window();
        RateLimitService service = service(window, LEASES, 500);
        Caller viewer = new Caller("v", "acme", Set.of("viewer"));
        for (int i = 0; i < 12; i++) {
            assertThat(allowed(service, viewer)).isEqualTo(i < 10);
        }
        assertThat(window.calls).hasSize(12).containsOnly(1);
        assertThat(service.leasedKeys()).isZero();
    }

    @Test
    void aLapsedLeaseIsNotSpentAndClientsAndRoutesHaveLeasesOfTheirOwn() {
        Window window = new Window();
        RateLimitService service = service(window, LEASES, 800); // 8 tokens per lease
        Caller admin = new Caller("a", "acme", Set.of("admin"));
        Caller other = new Caller("a", "globex", Set.of("admin"));
        assertThat(allowed(service, admin)).isTrue();
        assertThat(allowed(service, admin)).isTrue();
        assertThat(window.calls).containsExactly(8);
        assertThat(allowed(service, other)).isTrue();
        assertThat(window.calls).containsExactly(8, 8);

        now.addAndGet(Duration.ofSeconds(1).toNanos());
        assertThat(allowed(service, admin)).isTrue();
        assertThat(window.calls)
                .as("the lapsed lease's 6 tokens stay counted; a new lease is taken")
                .containsExactly(8, 8, 8);
        assertThat(window.count).isEqualTo(24);
    }

    @Test
    void leasesAreHeldForAtMostMaxKeysClientsAtOnce() {
        Window window = new Window();
        RateLimitService service = service(window, LEASES, 800);
        for (String tenant : List.of("t1", "t2", "t3")) {
            assertThat(allowed(service, new Caller("a", tenant, Set.of("admin"))))
                    .isTrue();
        }
        assertThat(service.leasedKeys()).isEqualTo(2);
        assertThat(allowed(service, new Caller("a", "t3", Set.of("admin")))).isTrue();
        assertThat(window.calls)
                .as("t3 holds no lease while two live ones fill the table: it asks the counter again")
                .containsExactly(8, 8, 8, 8);
    }

    @Test
    void leasePolicyTokens() {
        LeasePolicy policy = new LeasePolicy(64, 0.001, Duration.ofSeconds(1), 10);
        assertThat(policy.tokensFor(600)).isEqualTo(1);
        assertThat(policy.tokensFor(5_000)).isEqualTo(5);
        assertThat(policy.tokensFor(1_000_000_000)).isEqualTo(64);
        assertThat(LeasePolicy.NONE.tokensFor(1_000_000_000)).isEqualTo(1);
    }
}
