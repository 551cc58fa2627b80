package dev.devloop.gateway.adapters.out.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.devloop.gateway.domain.RateLimitDecision;
import dev.devloop.gateway.domain.RateLimitLease;
import dev.devloop.gateway.support.AgentServiceStub;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The rate-limit script on the real Redis: as many tokens as the window has room for, counted with per-request ones;
 * a single request is the same script asked for one token.
 */
@QuarkusTest
@QuarkusTestResource(AgentServiceStub.class)
class RedisRateLimitLeaseTest {
    private static final Duration WINDOW = Duration.ofSeconds(60);

    @Inject
    RedisRateLimitAdapter redis;

    @Inject
    RedisDataSource data;

    private RateLimitLease lease(String subject, int tokens) {
        return redis.leaseAsync("acme", subject, "agent-types.list", 10, WINDOW, tokens)
                .toCompletableFuture()
                .join();
    }

    @Test
    void leasesTakeWhatTheWindowHoldsAndShareItWithSingleRequests() {
        String subject = "lease-" + UUID.randomUUID();
        RateLimitLease first = lease(subject, 4);
        assertThat(first.granted()).isEqualTo(4);
        assertThat(first.decision().allowed()).isTrue();
        assertThat(first.decision().remaining()).isEqualTo(6);

        RateLimitDecision single = redis.acquireAsync("acme", subject, "agent-types.list", 10, WINDOW)
                .toCompletableFuture()
                .join();
        assertThat(single.allowed()).isTrue();
        assertThat(single.remaining()).isEqualTo(5);

        RateLimitLease partial = lease(subject, 8);
        assertThat(partial.granted()).as("only 5 left in the window").isEqualTo(5);
        assertThat(partial.decision().remaining()).isZero();

        RateLimitLease none = lease(subject, 4);
        assertThat(none.granted()).isZero();
        assertThat(none.decision().allowed()).isFalse();
        assertThat(none.decision().resetSeconds()).isBetween(1L, 60L);
        assertThat(redis.acquire("acme", subject, "agent-types.list", 10, WINDOW)
                        .allowed())
                .isFalse();
        assertThat(lease("other-" + subject, 4).granted())
                .as("another client's window is its own")
                .isEqualTo(4);
    }

    @Test
    void aSingleRequestIsTheSameScriptAskedForOneToken() {
        String subject = "single-" + UUID.randomUUID();
        RateLimitDecision first = redis.acquire("acme", subject, "agent-types.list", 2, WINDOW);
        assertThat(first.allowed()).isTrue();
        assertThat(first.remaining()).isEqualTo(1);
        RateLimitDecision second = redis.acquireAsync("acme", subject, "agent-types.list", 2, WINDOW)
                .toCompletableFuture()
                .join();
        assertThat(second.allowed()).isTrue();
        assertThat(second.remaining()).isZero();
        RateLimitDecision third = redis.acquire("acme", subject, "agent-types.list", 2, WINDOW);
        assertThat(third.allowed()).isFalse();
        assertThat(third.resetSeconds()).isBetween(1L, 60L);
        assertThat(redis.leaseAsync("acme", subject, "agent-types.list", 2, WINDOW, 4)
                        .toCompletableFuture()
                        .join()
                        .granted())
                .as("the window single requests filled")
                .isZero();
        assertThat(data.execute("SCRIPT", "EXISTS", RedisRateLimitAdapter.SCRIPT_SHA)
                        .get(0)
                        .toInteger())
                .as("the one script Redis knows for both kinds of call")
                .isEqualTo(1);
    }
}
