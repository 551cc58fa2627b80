package dev.devloop.agent.adapters.out.mongo;

import static org.assertj.core.api.Assertions.assertThat;

import com.mongodb.MongoSocketOpenException;
import com.mongodb.ServerAddress;
import dev.devloop.agent.ports.out.StoreRetryPort;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * The run store's retry (the shipped settings: backoff from 200 ms doubling to {@code store-retry.max-delay} 1 s,
 * jittered by 100 ms) goes on within one backoff step of the store's return (#18: a run resumes within 10 s of it),
 * however long the outage lasted before.
 */
@QuarkusTest
class StoreRetryResumeTest {
    /** max-delay 1 s + jitter 100 ms, plus scheduling slack on a loaded machine. */
    private static final Duration ONE_BACKOFF_STEP = Duration.ofMillis(1_100 + 300);

    @Inject
    StoreRetryPort retry;

    @Test
    void anOperationPausedByAnOutageGoesOnWithinOneBackoffStepOfTheStoresReturn() {
        Instant back = Instant.now().plusSeconds(6);
        List<Instant> attempts = new CopyOnWriteArrayList<>();

        Instant done = retry.call("resume-test", () -> {
            attempts.add(Instant.now());
            if (Instant.now().isBefore(back)) {
                throw new MongoSocketOpenException("store away", new ServerAddress("127.0.0.1", 1));
            }
            return Instant.now();
        });

        // retried all along, never pausing longer than one capped step (200, 400, 800 ms, then 1 s), so whenever the
        // store returns the next attempt is at most that far away
        for (int i = 1; i < attempts.size(); i++) {
            assertThat(Duration.between(attempts.get(i - 1), attempts.get(i)))
                    .as("pause before attempt %d", i + 1)
                    .isLessThan(ONE_BACKOFF_STEP);
        }
        assertThat(attempts).hasSizeGreaterThanOrEqualTo(7);
        assertThat(Duration.between(back, done)).isLessThan(ONE_BACKOFF_STEP);
    }
}
