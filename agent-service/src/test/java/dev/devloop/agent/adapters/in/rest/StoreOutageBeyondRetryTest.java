package dev.devloop.agent.adapters.in.rest;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A store outage longer than a run's store retries allow (#18): with {@code store-retry.max-duration} at 2 s, the store
 * (the real MongoDB behind {@link MongoBehindProxy}) is cut for 6 s while the runs' model answers come back. Each run's
 * step append gives up; the run is neither failed nor left for its lease (5 min) — its own runner takes it back once
 * the store answers and resumes it from its persisted steps. The answer that was never recorded is asked for again
 * (once per run), none is recorded twice, and no run was taken over by recovery.
 */
@QuarkusTest
@WithTestResource(MongoBehindProxy.class)
@TestProfile(StoreOutageBeyondRetryTest.ShortStoreRetry.class)
class StoreOutageBeyondRetryTest extends StoreOutageFixture {
    private static final int RUNS = 2;

    /** The store retries of a run give up after 2 s (60 s in production). */
    public static class ShortStoreRetry implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("devloop.agent.store-retry.max-duration", "2s");
        }
    }

    @Inject
    TestPorts.Model model;

    @Inject
    MeterRegistry meters;

    StoreOutageBeyondRetryTest() {
        super("sobr-");
    }

    @Test
    void runsWhoseStoreStaysAwayBeyondTheirRetriesAreResumedByTheirRunnerOnceItIsBack() throws Exception {
        model.reset();
        CountDownLatch inModel = new CountDownLatch(RUNS);
        CountDownLatch release = new CountDownLatch(1);
        for (int i = 0; i < RUNS; i++) {
            model.blockThenAnswer(inModel, release, "answered while the store was away");
        }
        for (int i = 0; i < RUNS; i++) {
            model.answer("answered again once the store was back");
        }
        List<String> ids = startRuns(RUNS, "a long store outage");
        assertThat(inModel.await(60, TimeUnit.SECONDS)).isTrue();
        double gaveUpBefore = gaveUp();

        withStoreCut(java.time.Duration.ofSeconds(6), release::countDown);

        for (String id : ids) {
            Map<String, Object> run = awaitTerminal(id);
            assertThat(run.get("status")).as(String.valueOf(run.get("error"))).isEqualTo("COMPLETED");
            assertThat(run.get("result")).isEqualTo("answered again once the store was back");
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> steps = (List<Map<String, Object>>) run.get("steps");
            assertThat(steps).extracting(s -> s.get("kind")).containsExactly("model_call");
            assertThat(run.get("pausedMs"))
                    .as("resumed by its own runner, not taken over after its lease")
                    .isNull();
        }
        assertThat(gaveUp()).as("the runs' store retries gave up").isGreaterThanOrEqualTo(gaveUpBefore + RUNS);
        // each run asked once before the outage and once more after it: the unrecorded answer, never a recorded one
        assertThat(model.requests()).hasSize(2 * RUNS);
        assertThat(MongoBehindProxy.proxy.refused()).isPositive();
    }

    private double gaveUp() {
        return meters.find("devloop_agent_store_unavailable_total").counters().stream()
                .mapToDouble(Counter::count)
                .sum();
    }
}
