package dev.devloop.provider.application;

import static org.assertj.core.api.Assertions.assertThat;

import dev.devloop.contracts.provider.Usage;
import dev.devloop.provider.domain.BulkheadLimit;
import dev.devloop.provider.domain.FinishReason;
import dev.devloop.provider.domain.ProviderFailure;
import dev.devloop.provider.domain.Stages;
import dev.devloop.provider.ports.out.ChatProviderPort;
import dev.devloop.provider.ports.out.CircuitPolicy;
import dev.devloop.provider.ports.out.GenerateCommand;
import dev.devloop.provider.ports.out.ProviderAnswer;
import dev.devloop.provider.ports.out.ProviderMetricsPort;
import dev.devloop.provider.ports.out.StreamListener;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * A provider that hands its circuit over runs bulkhead, retries and circuit in one guard: only the provider's own
 * failures count against the circuit (not a rejected request, not a full bulkhead), and an open circuit answers
 * {@code CIRCUIT_OPEN} with the circuit's delay as Retry-After without calling the provider.
 */
class ProviderInvokerCircuitTest {
    private static final AtomicInteger NAMES = new AtomicInteger();

    /** Answers from a script of stages; counts the calls that reached it. */
    static class AsyncProvider implements ChatProviderPort {
        final String name = "circuit-test-" + NAMES.incrementAndGet();
        final Deque<CompletionStage<ProviderAnswer>> script = new ArrayDeque<>();
        final AtomicInteger calls = new AtomicInteger();

        @Override
        public String name() {
            return name;
        }

        @Override
        public boolean configured() {
            return true;
        }

        @Override
        public String defaultModel() {
            return "m";
        }

        @Override
        public List<String> models() {
            return List.of("m");
        }

        @Override
        public String circuitState() {
            return "closed";
        }

        @Override
        public String notConfiguredDetail() {
            return "";
        }

        @Override
        public boolean nonBlocking() {
            return true;
        }

        @Override
        public ProviderAnswer chat(GenerateCommand command, String model) {
            return chatAsync(command, model).toCompletableFuture().join();
        }

        @Override
        public CompletionStage<ProviderAnswer> chatAsync(GenerateCommand command, String model) {
            calls.incrementAndGet();
            return script.isEmpty() ? CompletableFuture.completedFuture(ANSWER) : script.pop();
        }

        @Override
        public void stream(GenerateCommand command, String model, StreamListener listener) {}
    }

    private static final ProviderAnswer ANSWER =
            new ProviderAnswer("hi", List.of(), new Usage(1, 1, 2), "m", FinishReason.STOP);

    private static ProviderInvoker invoker(AsyncProvider provider, int bulkhead) {
        CircuitPolicy circuit = new CircuitPolicy(provider.name, 4, 0.5, Duration.ofSeconds(600), 2);
        GatewayPolicies policies =
                GatewayPolicies.NONE.withBulkheads(Map.of(provider.name, new BulkheadLimit(bulkhead, "bulkhead")));
        return new ProviderInvoker(
                Set.of(provider.name),
                Map.of(provider.name, circuit),
                policies,
                ProviderMetricsPort.NONE,
                Clock.systemUTC());
    }

    private static ProviderFailure failure(ProviderFailure.Kind kind, String provider) {
        return ProviderFailure.of(kind, provider, kind.name());
    }

    private static ProviderFailure failureOf(CompletionStage<ProviderAnswer> stage) {
        return stage.handle((a, e) -> (ProviderFailure) Stages.cause(e))
                .toCompletableFuture()
                .join();
    }

    /**
     * Regression guard (stop 31): the guard starts a non-blocking call on the caller's thread, with no thread offload,
     * so a call started on an event loop is sent from it.
     */
    @Test
    void aNonBlockingCallIsStartedOnTheCallersThread() {
        Thread[] started = new Thread[1];
        AsyncProvider provider = new AsyncProvider() {
            @Override
            public CompletionStage<ProviderAnswer> chatAsync(GenerateCommand command, String model) {
                started[0] = Thread.currentThread();
                return super.chatAsync(command, model);
            }
        };
        ProviderInvoker invoker = invoker(provider, 8);
        assertThat(invoker.chatAsync(provider, null, "m").toCompletableFuture().join())
                .isEqualTo(ANSWER);
        assertThat(started[0]).isSameAs(Thread.currentThread());
    }

    @Test
    void rejectedRequestsDoNotOpenTheCircuitButUpstreamErrorsDoAndTheOpenCircuitAnswersWithItsDelay() {
        AsyncProvider provider = new AsyncProvider();
        ProviderInvoker invoker = invoker(provider, 8);
        for (int i = 0; i < 6; i++) {
            provider.script.add(
                    CompletableFuture.failedFuture(failure(ProviderFailure.Kind.REQUEST_REJECTED, provider.name)));
            assertThat(failureOf(invoker.chatAsync(provider, null, "m")).kind())
                    .isEqualTo(ProviderFailure.Kind.REQUEST_REJECTED);
        }
        assertThat(invoker.chatAsync(provider, null, "m").toCompletableFuture().join())
                .isEqualTo(ANSWER);
        for (int i = 0; i < 4; i++) {
            provider.script.add(
                    CompletableFuture.failedFuture(failure(ProviderFailure.Kind.UPSTREAM_ERROR, provider.name)));
            invoker.chatAsync(provider, null, "m")
                    .handle((a, e) -> a)
                    .toCompletableFuture()
                    .join();
        }
        int reached = provider.calls.get();

        ProviderFailure open = failureOf(invoker.chatAsync(provider, null, "m"));

        assertThat(open.kind()).isEqualTo(ProviderFailure.Kind.CIRCUIT_OPEN);
        assertThat(open.retryAfter()).contains("600");
        assertThat(provider.calls.get()).isEqualTo(reached);
    }

    @Test
    void aFullBulkheadAnswersBusyAndIsNotCountedByTheCircuit() {
        AsyncProvider provider = new AsyncProvider();
        ProviderInvoker invoker = invoker(provider, 1);
        CompletableFuture<ProviderAnswer> held = new CompletableFuture<>();
        CompletableFuture<ProviderAnswer> queuedAnswer = new CompletableFuture<>();
        provider.script.add(held);
        provider.script.add(queuedAnswer);
        CompletionStage<ProviderAnswer> first = invoker.chatAsync(provider, null, "m");
        CompletionStage<ProviderAnswer> queued = invoker.chatAsync(provider, null, "m"); // the one queue place
        for (int i = 0; i < 6; i++) {
            ProviderFailure busy = failureOf(invoker.chatAsync(provider, null, "m"));
            assertThat(busy.kind()).isEqualTo(ProviderFailure.Kind.BULKHEAD_FULL);
            assertThat(busy.retryAfter()).contains("1");
        }
        held.complete(ANSWER);
        queuedAnswer.complete(ANSWER);
        assertThat(first.toCompletableFuture().join()).isEqualTo(ANSWER);
        assertThat(queued.toCompletableFuture().join()).isEqualTo(ANSWER);

        assertThat(invoker.chatAsync(provider, null, "m").toCompletableFuture().join())
                .isEqualTo(ANSWER);
        assertThat(provider.calls.get()).isEqualTo(3);
    }
}
