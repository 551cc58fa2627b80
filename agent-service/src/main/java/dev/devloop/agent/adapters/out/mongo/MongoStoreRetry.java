package dev.devloop.agent.adapters.out.mongo;

import dev.devloop.agent.config.AgentServiceConfig;
import dev.devloop.agent.ports.out.StoreRetryPort;
import dev.devloop.agent.ports.out.StoreUnavailableException;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import io.smallrye.faulttolerance.api.Guard;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.temporal.ChronoUnit;
import java.util.function.Supplier;

/**
 * Retries a run's store operations through a MongoDB outage with SmallRye Fault Tolerance (programmatic
 * {@link Guard}): exponential backoff from {@code store-retry.initial-delay} to {@code store-retry.max-delay}
 * (so a run resumes at most that long, plus the driver's server-selection timeout, after the store is back),
 * for at most {@code store-retry.max-duration}; then {@link StoreUnavailableException} and the run is left to
 * its lease. Only transient failures are retried (unreachable server, socket, timeout, a primary stepping down);
 * a rejected write is not. Counted in {@code devloop_agent_store_failed_attempts_total{operation}} and
 * {@code devloop_agent_store_unavailable_total{operation}}.
 */
@ApplicationScoped
public class MongoStoreRetry implements StoreRetryPort {
    private final Guard guard;
    private final MeterRegistry metrics;

    MongoStoreRetry(AgentServiceConfig config, MeterRegistry metrics) {
        this.metrics = metrics;
        AgentServiceConfig.StoreRetry retry = config.storeRetry();
        this.guard = Guard.create()
                .withDescription("run store")
                .withRetry()
                .maxRetries(-1)
                .maxDuration(retry.maxDuration().toMillis(), ChronoUnit.MILLIS)
                .delay(retry.initialDelay().toMillis(), ChronoUnit.MILLIS)
                .jitter(Math.max(1, retry.initialDelay().toMillis() / 2), ChronoUnit.MILLIS)
                .whenException(MongoStoreRetry::isTransient)
                .withExponentialBackoff()
                .factor(2)
                .maxDelay(retry.maxDelay().toMillis(), ChronoUnit.MILLIS)
                .done()
                .done()
                .build();
    }

    /** Whether {@code failure} means the store could not be reached (worth retrying), not that it refused. */
    public static boolean isTransient(Throwable failure) {
        return dev.devloop.migrations.MongoOutages.isTransient(failure);
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T> T call(String operation, Supplier<T> call) {
        Supplier<Object> counted = () -> {
            try {
                return call.get();
            } catch (RuntimeException e) {
                if (isTransient(e)) {
                    metrics.counter("devloop_agent_store_failed_attempts_total", "operation", operation)
                            .increment();
                    Log.debugf("store operation %s failed transiently, retrying: %s", operation, e.getMessage());
                }
                throw e;
            }
        };
        try {
            return (T) guard.get(counted, Object.class);
        } catch (RuntimeException e) {
            if (isTransient(e)) {
                metrics.counter("devloop_agent_store_unavailable_total", "operation", operation)
                        .increment();
                throw new StoreUnavailableException(operation, e);
            }
            throw e;
        }
    }
}
