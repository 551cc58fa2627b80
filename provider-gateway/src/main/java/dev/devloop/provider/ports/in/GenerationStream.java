package dev.devloop.provider.ports.in;

import dev.devloop.contracts.provider.GenerateResponse;
import dev.devloop.provider.domain.ProviderFailure;

/** Receives a streamed generation: text deltas, then exactly one final response or failure. */
public interface GenerationStream {

  void onText(String delta);

  void onComplete(GenerateResponse response);

  void onError(ProviderFailure failure);
}
