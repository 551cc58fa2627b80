package dev.devloop.provider.ports.in;

import dev.devloop.contracts.provider.GenerateResponse;
import dev.devloop.contracts.provider.InjectionScreening;
import dev.devloop.provider.domain.ProviderFailure;

/**
 * Receives a streamed generation: text and reasoning deltas, then exactly one final response (with the
 * whole reasoning) or failure. Reasoning deltas are withheld when the call is PII-redacted: the final
 * response then carries the redacted reasoning.
 */
public interface GenerationStream {

    void onText(String delta);

    /** A piece of the model's visible reasoning, separate from the text. */
    default void onReasoning(String delta) {}

    /**
     * How the request was screened for prompt injection (null when not screened); called once, before any
     * delta, so a transport can report it up front (a response header).
     */
    default void onScreened(InjectionScreening screening) {}

    void onComplete(GenerateResponse response);

    void onError(ProviderFailure failure);
}
