package dev.devloop.provider.application;

import dev.devloop.contracts.logging.LogFields;
import dev.devloop.provider.domain.BulkheadLimit;
import dev.devloop.provider.domain.ProviderFailure;
import dev.devloop.provider.domain.RetryPolicy;
import dev.devloop.provider.domain.Stages;
import dev.devloop.provider.ports.in.ProviderView;
import dev.devloop.provider.ports.out.ChatProviderPort;
import dev.devloop.provider.ports.out.CircuitPolicy;
import dev.devloop.provider.ports.out.GenerateCommand;
import dev.devloop.provider.ports.out.ProviderAnswer;
import dev.devloop.provider.ports.out.ProviderMetricsPort;
import io.smallrye.faulttolerance.api.CustomBackoffStrategy;
import io.smallrye.faulttolerance.api.Guard;
import jakarta.enterprise.util.TypeLiteral;
import java.time.Clock;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.eclipse.microprofile.faulttolerance.exceptions.BulkheadException;
import org.eclipse.microprofile.faulttolerance.exceptions.CircuitBreakerOpenException;
import org.jboss.logging.Logger;

/**
 * Calls a provider with its resilience, one SmallRye Fault Tolerance {@link Guard} per provider built at startup: a
 * bulkhead (a full one refuses the call: {@code BULKHEAD_FULL}), retries of retryable failures as the provider's
 * {@link RetryPolicy} says, waited by SmallRye with a custom back-off that honours {@code Retry-After}, and, for a
 * provider that hands its {@link ChatProviderPort#circuit() circuit} over, its circuit breaker, so such a call passes
 * one guard, not two (the other providers' circuits and backstop timeouts sit in their adapters' guarded calls). The
 * untyped {@code Guard} rather than a {@code TypedGuard}: one guard serves both the call ({@link ProviderAnswer}) and
 * the stream (a {@link CompletionStage} that ends with it), so both share the provider's one bulkhead.
 *
 * <p>SmallRye nests a guard's strategies retry → circuit breaker → bulkhead: each attempt takes a bulkhead slot (none is
 * held during a retry's wait), an open circuit refuses before any slot is taken, and a full bulkhead is neither
 * retried nor counted by the circuit.
 */
final class ProviderInvoker {
    private static final Logger LOG = Logger.getLogger(ProviderInvoker.class);

    private static final TypeLiteral<CompletionStage<Void>> STREAM = new TypeLiteral<>() {};
    private static final TypeLiteral<CompletionStage<ProviderAnswer>> ANSWER = new TypeLiteral<>() {};

    /** Retries are bounded by their count, not by time: SmallRye's default 180 s cap would cut a slow provider's. */
    private static final long RETRY_MAX_DURATION_HOURS = 24;

    private record Guarded(Guard guard, BulkheadLimit limit, AtomicInteger inFlight, CircuitPolicy circuit) {}

    private final Map<String, Guarded> guards = new HashMap<>();

    /**
     * Fails when a bulkhead or retry policy is configured for a provider that does not exist.
     *
     * @param circuits the circuit breakers the providers hand over ({@link ChatProviderPort#circuit()}), by provider
     */
    ProviderInvoker(
            Set<String> providers,
            Map<String, CircuitPolicy> circuits,
            GatewayPolicies policies,
            ProviderMetricsPort metrics,
            Clock clock) {
        for (String name : Stream.concat(policies.bulkheads().keySet().stream(), policies.retries().keySet().stream())
                .toList()) {
            if (!providers.contains(name)) {
                throw new IllegalArgumentException("a bulkhead or retry policy is configured for unknown provider '"
                        + name + "'; known: " + providers);
            }
        }
        for (String name : providers) {
            BulkheadLimit limit = policies.bulkheadOf(name);
            AtomicInteger inFlight = new AtomicInteger();
            Guard.Builder builder = Guard.create()
                    .withDescription("provider " + name)
                    // no offload to a worker: the action only starts a call that answers later (a stage); started
                    // on an event loop (GenerateService.sendsOn) SmallRye keeps it on that event loop. Started on a
                    // worker that carries a Vert.x context, SmallRye 6.10 re-dispatches it with executeBlocking either
                    // way (RememberEventLoop): a second worker per call (JFR, stop 31)
                    .withThreadOffload(false)
                    .withBulkhead()
                    // limit + queue must fit an int ("unbounded" is Integer.MAX_VALUE)
                    .limit(Math.min(limit.maxConcurrent(), Integer.MAX_VALUE - 1))
                    // SmallRye queues only asynchronous calls (a stream); at least one place, so one stream may wait
                    .queueSize(1)
                    .onAccepted(inFlight::incrementAndGet)
                    .onFinished(inFlight::decrementAndGet)
                    .onRejected(() -> metrics.recordBulkheadRejection(name))
                    .done();
            CircuitPolicy circuit = circuits.get(name);
            if (circuit != null) {
                builder = builder.withCircuitBreaker()
                        .name(circuit.name())
                        .requestVolumeThreshold(circuit.requestVolumeThreshold())
                        .failureRatio(circuit.failureRatio())
                        .delay(Math.max(1, circuit.delay().toMillis()), ChronoUnit.MILLIS)
                        .successThreshold(circuit.successThreshold())
                        .when(ProviderInvoker::countsAgainstCircuit)
                        .done();
            }
            RetryPolicy retry = policies.retryOf(name);
            if (retry.maxRetries() > 0) {
                builder = builder.withRetry()
                        .maxRetries(retry.maxRetries())
                        .delay(0, ChronoUnit.MILLIS)
                        .jitter(0, ChronoUnit.MILLIS)
                        .maxDuration(RETRY_MAX_DURATION_HOURS, ChronoUnit.HOURS)
                        // only retryable kinds, and never a Retry-After longer than max-retry-after (nor unreadable)
                        .whenException(e -> failureOf(name, circuit, e) instanceof ProviderFailure f
                                && retry.delay(0, f, 0, clock.instant()).isPresent())
                        .withCustomBackoff()
                        .strategy(() -> new Backoff(name, circuit, retry, policies, metrics, clock))
                        .done()
                        .done();
            }
            guards.put(name, new Guarded(builder.build(), limit, inFlight, circuit));
        }
    }

    /** Calls the provider through its guard: its bulkhead, and retries of retryable failures. */
    ProviderAnswer chat(ChatProviderPort provider, GenerateCommand command, String model) {
        Guarded g = guards.get(provider.name());
        try {
            return g.guard().get(() -> provider.chat(command, model), ProviderAnswer.class);
        } catch (BulkheadException e) {
            throw busy(provider.name(), g.limit());
        } catch (CircuitBreakerOpenException e) {
            throw circuitOpen(provider.name(), g.circuit(), e);
        }
    }

    /**
     * As {@link #chat} for a {@link ChatProviderPort#nonBlocking()} provider: the same guard (bulkhead, retries) in its
     * asynchronous form, so no thread waits for the answer (a retry's delay runs on SmallRye's timer). The stage fails
     * with the {@link ProviderFailure} itself ({@code BULKHEAD_FULL} when the bulkhead and its one-place queue are full).
     */
    CompletionStage<ProviderAnswer> chatAsync(ChatProviderPort provider, GenerateCommand command, String model) {
        Guarded g = guards.get(provider.name());
        CompletableFuture<ProviderAnswer> answer = new CompletableFuture<>();
        CompletionStage<ProviderAnswer> guarded;
        try {
            guarded = g.guard().get(() -> provider.chatAsync(command, model), ANSWER);
        } catch (RuntimeException e) {
            guarded = CompletableFuture.failedFuture(e);
        }
        guarded.whenComplete((value, error) -> {
            if (error == null) {
                answer.complete(value);
                return;
            }
            Throwable cause = Stages.cause(error);
            answer.completeExceptionally(
                    cause instanceof BulkheadException
                            ? busy(provider.name(), g.limit())
                            : failureOf(provider.name(), g.circuit(), cause));
        });
        return answer;
    }

    /** What a guarded attempt's failure means: an open circuit as {@code CIRCUIT_OPEN}, anything else as it is. */
    private static Throwable failureOf(String provider, CircuitPolicy circuit, Throwable error) {
        Throwable cause = Stages.cause(error);
        return cause instanceof CircuitBreakerOpenException open ? circuitOpen(provider, circuit, open) : cause;
    }

    /**
     * What the circuit counts as a failure: what the provider did (unreachable, 5xx, throttled, a bad answer), not a
     * request it rejected, a missing key, or the gateway's own refusals (a full bulkhead).
     */
    private static boolean countsAgainstCircuit(Throwable error) {
        Throwable cause = Stages.cause(error);
        if (cause instanceof ProviderFailure f) {
            return switch (f.kind()) {
                case REQUEST_REJECTED, NOT_CONFIGURED, BULKHEAD_FULL, CIRCUIT_OPEN -> false;
                default -> true;
            };
        }
        return !(cause instanceof BulkheadException);
    }

    private static ProviderFailure circuitOpen(String provider, CircuitPolicy circuit, Throwable cause) {
        return new ProviderFailure(
                ProviderFailure.Kind.CIRCUIT_OPEN,
                provider,
                "provider " + provider + " failed repeatedly; its circuit is open and calls resume after a pause",
                circuit == null ? "1" : circuit.retryAfterSeconds(),
                cause);
    }

    /**
     * Starts a stream inside the provider's bulkhead (never retried): {@code start} gets the slot's release, which
     * the stream runs when it ends (once or more; the first frees the slot). Throws {@code BULKHEAD_FULL} when the
     * bulkhead and its one-place queue are full; a queued stream starts when a slot frees.
     */
    void stream(ChatProviderPort provider, Consumer<Runnable> start) {
        Guarded g = guards.get(provider.name());
        RuntimeException[] thrown = new RuntimeException[1];
        CompletableFuture<Void> admitted;
        try {
            admitted = g.guard()
                    .get(
                            () -> {
                                CompletableFuture<Void> ended = new CompletableFuture<>();
                                try {
                                    start.accept(() -> ended.complete(null));
                                } catch (RuntimeException e) {
                                    thrown[0] = e; // rethrown to the caller, not a failed stage a retry would see
                                    ended.complete(null);
                                }
                                return ended;
                            },
                            STREAM)
                    .toCompletableFuture();
        } catch (BulkheadException e) {
            throw busy(provider.name(), g.limit());
        }
        if (admitted.isCompletedExceptionally()) {
            try {
                admitted.join();
            } catch (CompletionException e) {
                Throwable cause = Stages.cause(e);
                if (cause instanceof BulkheadException) {
                    throw busy(provider.name(), g.limit());
                }
                if (cause instanceof CircuitBreakerOpenException open) {
                    throw circuitOpen(provider.name(), g.circuit(), open);
                }
                throw e;
            }
        }
        if (thrown[0] != null) {
            throw thrown[0];
        }
    }

    /** The provider's bulkhead as {@code /v1/providers} shows it: size and calls in flight. */
    ProviderView.Bulkhead bulkhead(String provider) {
        Guarded g = guards.get(provider);
        return new ProviderView.Bulkhead(g.limit().maxConcurrent(), g.inFlight().get());
    }

    private static ProviderFailure busy(String provider, BulkheadLimit limit) {
        return new ProviderFailure(
                ProviderFailure.Kind.BULKHEAD_FULL,
                provider,
                "provider " + provider + " already has " + limit.maxConcurrent() + " calls in flight ("
                        + limit.setting() + "); try again shortly",
                "1",
                null);
    }

    /**
     * One call's retry waits (SmallRye makes one per guarded call): the {@link RetryPolicy}'s delay for the n-th
     * retry, i.e. the failure's own {@code Retry-After} when it has one, else jittered exponential back-off.
     */
    private static final class Backoff implements CustomBackoffStrategy {
        private final String provider;
        private final CircuitPolicy circuit;
        private final RetryPolicy retry;
        private final GatewayPolicies policies;
        private final ProviderMetricsPort metrics;
        private final Clock clock;
        private int attempt;

        Backoff(
                String provider,
                CircuitPolicy circuit,
                RetryPolicy retry,
                GatewayPolicies policies,
                ProviderMetricsPort metrics,
                Clock clock) {
            this.provider = provider;
            this.circuit = circuit;
            this.retry = retry;
            this.policies = policies;
            this.metrics = metrics;
            this.clock = clock;
        }

        @Override
        public long nextDelayInMillis(Throwable cause) {
            // whenException lets nothing else through
            ProviderFailure failure = (ProviderFailure) failureOf(provider, circuit, cause);
            Duration delay = retry.delay(attempt, failure, policies.random().getAsDouble(), clock.instant())
                    .orElse(Duration.ZERO);
            attempt++;
            String kind = failure.kind().name().toLowerCase(Locale.ROOT);
            metrics.recordRetry(provider, kind);
            policies.retryWaits().waiting(provider, delay);
            LogFields.of("provider", provider, "kind", kind, "attempt", attempt, "delayMs", delay.toMillis())
                    .info(LOG, "retrying");
            return delay.toMillis();
        }
    }
}
