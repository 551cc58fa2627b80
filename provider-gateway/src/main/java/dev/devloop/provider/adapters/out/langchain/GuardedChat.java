package dev.devloop.provider.adapters.out.langchain;

import dev.devloop.provider.domain.ProviderFailure;
import dev.devloop.provider.domain.Stages;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * One provider's guarded synchronous call: each provider has its own bean carrying
 * {@code @Timeout} and a named {@code @CircuitBreaker}, so one provider's failures never open
 * another's circuit. Retries, bulkheads and fallbacks live in the application layer.
 */
public interface GuardedChat {

    /** A finished call: the answer, or a failure caused by the request itself (not counted against the provider). */
    record Outcome(ChatResponse response, ProviderFailure rejected) {}

    Outcome chat(ChatModel model, ChatRequest request, Duration httpTimeout);

    /** Runs the call and sorts failures: request-caused ones are returned, the others thrown (and counted). */
    static Outcome run(String provider, String keySetting, ChatModel model, ChatRequest request, Duration httpTimeout) {
        try {
            return new Outcome(model.chat(request), null);
        } catch (RuntimeException e) {
            ProviderFailure failure = UpstreamErrors.classify(provider, keySetting, e, httpTimeout);
            if (failure.kind() == ProviderFailure.Kind.REQUEST_REJECTED) {
                return new Outcome(null, failure);
            }
            throw failure;
        }
    }

    /**
     * As {@link #run} for a call that answers later: request-caused failures complete the stage normally (as an
     * outcome), the others fail it with the classified {@link ProviderFailure} itself (not a wrapper), so a circuit
     * counts them and a retry policy reads their kind. An attempt not answered within {@code backstop} fails as
     * {@code UNREACHABLE} (the gateway's time limit; the HTTP timeout is the real bound).
     */
    static CompletionStage<Outcome> runAsync(
            String provider,
            String keySetting,
            Supplier<CompletionStage<ChatResponse>> call,
            Duration httpTimeout,
            Duration backstop) {
        CompletableFuture<Outcome> outcome = settle(provider, keySetting, call, httpTimeout);
        if (outcome.isDone()) {
            return outcome;
        }
        // orTimeout's timer task is removed when the call answers first (the JDK's delayer removes on cancel)
        return outcome.orTimeout(Math.max(1, backstop.toMillis()), TimeUnit.MILLISECONDS)
                .exceptionallyCompose(e -> CompletableFuture.failedFuture(
                        Stages.cause(e) instanceof TimeoutException t
                                ? backstopFailure(provider, t)
                                : Stages.cause(e)));
    }

    /**
     * Starts a backstop timer: {@code expire} runs after {@code millis} unless the returned action cancels it first.
     * The OpenAI wire call uses the Vert.x timer of the event loop that answers it (set and cancelled there), not
     * {@code orTimeout}'s JDK delay-scheduler thread, which woke twice per call (JFR and ctx switches, stop 31).
     */
    @FunctionalInterface
    interface BackstopTimer {
        Runnable start(long millis, Runnable expire);
    }

    /** As {@link #runAsync(String, String, Supplier, Duration, Duration)} with the backstop on {@code timer}. */
    static CompletionStage<Outcome> runAsync(
            String provider,
            String keySetting,
            Supplier<CompletionStage<ChatResponse>> call,
            Duration httpTimeout,
            Duration backstop,
            BackstopTimer timer) {
        long millis = Math.max(1, backstop.toMillis());
        CompletableFuture<Outcome> bounded = new CompletableFuture<>();
        Runnable cancel = timer.start(
                millis,
                () -> bounded.completeExceptionally(
                        backstopFailure(provider, new TimeoutException("no answer within " + millis + " ms"))));
        settle(provider, keySetting, call, httpTimeout).whenComplete((outcome, error) -> {
            cancel.run();
            if (error == null) {
                bounded.complete(outcome);
            } else {
                bounded.completeExceptionally(error);
            }
        });
        return bounded;
    }

    /** Sends the call; its stage completes with the outcome or fails with the classified failure. */
    private static CompletableFuture<Outcome> settle(
            String provider, String keySetting, Supplier<CompletionStage<ChatResponse>> call, Duration httpTimeout) {
        CompletableFuture<Outcome> outcome = new CompletableFuture<>();
        CompletionStage<ChatResponse> sent;
        try {
            sent = call.get();
        } catch (RuntimeException e) {
            sent = CompletableFuture.failedFuture(e);
        }
        sent.whenComplete((response, error) -> {
            if (error == null) {
                outcome.complete(new Outcome(response, null));
                return;
            }
            ProviderFailure failure = UpstreamErrors.classify(provider, keySetting, Stages.cause(error), httpTimeout);
            if (failure.kind() == ProviderFailure.Kind.REQUEST_REJECTED) {
                outcome.complete(new Outcome(null, failure));
            } else {
                outcome.completeExceptionally(failure);
            }
        });
        return outcome;
    }

    /** The failure of an attempt that outlived the backstop, as SmallRye's timeout was mapped before. */
    static ProviderFailure backstopFailure(String provider, Throwable cause) {
        return new ProviderFailure(
                ProviderFailure.Kind.UNREACHABLE,
                provider,
                "provider " + provider + " did not answer within the gateway's time limit",
                null,
                cause);
    }
}
