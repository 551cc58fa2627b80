package dev.devloop.provider.ports.out;

import dev.devloop.provider.domain.ProviderFailure;

/**
 * Receives a provider's streamed answer: text and reasoning deltas, then exactly one completion or
 * failure (whose answer carries the whole reasoning).
 */
public interface StreamListener {

    void onText(String delta);

    /** A piece of the model's visible reasoning; never part of the text. */
    default void onReasoning(String delta) {}

    void onComplete(ProviderAnswer answer);

    void onError(ProviderFailure failure);
}
