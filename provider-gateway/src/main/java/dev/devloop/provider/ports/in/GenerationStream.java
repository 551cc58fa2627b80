package dev.devloop.provider.ports.in;

import dev.devloop.contracts.provider.GenerateResponse;
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

  void onComplete(GenerateResponse response);

  void onError(ProviderFailure failure);
}
