package dev.devloop.provider.ports.out;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** Outgoing port to one chat-model provider (OpenAI, an OpenAI-compatible server, ...). */
public interface ChatProviderPort {

    /** The provider's name as requests spell it, e.g. {@code openai}. */
    String name();

    /** True when credentials or an endpoint are configured, so a call can be attempted. */
    boolean configured();

    /** The model used when a request names none. */
    String defaultModel();

    /** Models advertised for this provider (the default model first). */
    List<String> models();

    /** The provider's circuit state: {@code closed}, {@code open} or {@code half_open}. */
    String circuitState();

    /** Closes the provider's circuit and clears its failure window; providers without a circuit do nothing. */
    default void resetCircuit() {}

    /** Why the provider is not configured, naming the settings to set. */
    String notConfiguredDetail();

    /**
     * Sends the conversation and returns the answer.
     *
     * @throws dev.devloop.provider.domain.ProviderFailure when the provider fails, classified
     */
    ProviderAnswer chat(GenerateCommand command, String model);

    /** True when {@link #chatAsync} answers without a thread waiting for the provider. */
    default boolean nonBlocking() {
        return false;
    }

    /**
     * The circuit breaker the caller's guard runs around {@link #chatAsync} (and {@link #chat}) of this provider, so a
     * call passes one guard (bulkhead, retries, circuit); empty when the provider guards its calls itself.
     */
    default Optional<CircuitPolicy> circuit() {
        return Optional.empty();
    }

    /**
     * As {@link #chat}, answering later: a {@link dev.devloop.provider.domain.ProviderFailure} fails the stage. Only
     * providers that are {@link #nonBlocking()} implement it.
     */
    default CompletionStage<ProviderAnswer> chatAsync(GenerateCommand command, String model) {
        return CompletableFuture.failedFuture(
                new UnsupportedOperationException("provider " + name() + " answers only synchronously"));
    }

    /**
     * Streams the answer to {@code listener}; returns at once. Failures arrive through
     * {@link StreamListener#onError}, never as exceptions after this method returned.
     */
    void stream(GenerateCommand command, String model, StreamListener listener);
}
