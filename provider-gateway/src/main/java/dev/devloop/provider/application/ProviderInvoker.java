package dev.devloop.provider.application;

import dev.devloop.provider.domain.BulkheadLimit;
import dev.devloop.provider.domain.ProviderFailure;
import dev.devloop.provider.ports.in.ProviderView;
import dev.devloop.provider.ports.out.ChatProviderPort;
import dev.devloop.provider.ports.out.GenerateCommand;
import dev.devloop.provider.ports.out.ProviderAnswer;
import dev.devloop.provider.ports.out.ProviderMetricsPort;
import io.quarkus.logging.Log;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Calls a provider with its resilience: a bulkhead per provider (a fair semaphore, bounded wait, then
 * {@code BULKHEAD_FULL}) and retries of retryable failures as the provider's retry policy says (Retry-After aware,
 * jittered back-off). The circuit breaker and the backstop timeout sit in the adapters' guarded calls.
 */
final class ProviderInvoker {
    private final GatewayPolicies policies;
    private final ProviderMetricsPort metrics;
    private final Clock clock;
    private final Map<String, Semaphore> bulkheads = new HashMap<>();
    private final Map<String, BulkheadLimit> bulkheadLimits = new HashMap<>();

    /** Fails when a bulkhead or retry policy is configured for a provider that does not exist. */
    ProviderInvoker(Set<String> providers, GatewayPolicies policies, ProviderMetricsPort metrics, Clock clock) {
        this.policies = policies;
        this.metrics = metrics;
        this.clock = clock;
        for (String name : java.util.stream.Stream.concat(
                        policies.bulkheads().keySet().stream(), policies.retries().keySet().stream())
                .toList()) {
            if (!providers.contains(name)) {
                throw new IllegalArgumentException("a bulkhead or retry policy is configured for unknown provider '"
                        + name + "'; known: " + providers);
            }
        }
        for (String name : providers) {
            BulkheadLimit limit = policies.bulkheadOf(name);
            bulkheadLimits.put(name, limit);
            bulkheads.put(name, new Semaphore(limit.maxConcurrent(), true));
        }
    }

    /** Calls the provider through its bulkhead, retrying retryable failures as the retry policy says. */
    ProviderAnswer chat(ChatProviderPort provider, GenerateCommand command, String model) {
        for (int attempt = 0; ; attempt++) {
            try {
                Runnable release = acquire(provider);
                try {
                    return provider.chat(command, model);
                } finally {
                    release.run();
                }
            } catch (ProviderFailure failure) {
                Optional<Duration> delay = policies.retryOf(provider.name())
                        .delay(attempt, failure, policies.random().getAsDouble(), clock.instant());
                if (delay.isEmpty()) {
                    throw failure;
                }
                metrics.recordRetry(provider.name(), failure.kind().name().toLowerCase(Locale.ROOT));
                Log.infof(
                        "retrying tenant=%s provider=%s model=%s kind=%s attempt=%d delayMs=%d",
                        command.tenant(),
                        provider.name(),
                        model,
                        failure.kind(),
                        attempt + 1,
                        delay.get().toMillis());
                try {
                    policies.sleeper().sleep(delay.get());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw failure;
                }
            }
        }
    }

    /**
     * Takes a slot of the provider's bulkhead (a stream holds it until it ends) and returns its release, which frees
     * it once however often it runs; throws {@code BULKHEAD_FULL} when none frees up in time.
     */
    Runnable acquire(ChatProviderPort provider) {
        Semaphore permits = bulkheads.get(provider.name());
        BulkheadLimit limit = bulkheadLimits.get(provider.name());
        boolean acquired;
        try {
            acquired = permits.tryAcquire(limit.maxWait().toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            acquired = false;
        }
        if (!acquired) {
            metrics.recordBulkheadRejection(provider.name());
            throw new ProviderFailure(
                    ProviderFailure.Kind.BULKHEAD_FULL,
                    provider.name(),
                    "provider " + provider.name() + " already has " + limit.maxConcurrent() + " calls in flight ("
                            + limit.setting() + "); try again shortly",
                    "1",
                    null);
        }
        AtomicBoolean released = new AtomicBoolean();
        return () -> {
            if (released.compareAndSet(false, true)) {
                permits.release();
            }
        };
    }

    /** The provider's bulkhead as {@code /v1/providers} shows it: size, wait, calls in flight. */
    ProviderView.Bulkhead bulkhead(String provider) {
        BulkheadLimit limit = bulkheadLimits.get(provider);
        return new ProviderView.Bulkhead(
                limit.maxConcurrent(),
                limit.maxWait().toMillis(),
                limit.maxConcurrent() - bulkheads.get(provider).availablePermits());
    }
}
