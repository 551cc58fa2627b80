package dev.devloop.provider.ports.out;

import dev.devloop.provider.domain.ProviderFailure;

/** Receives a provider's streamed answer: text deltas, then exactly one completion or failure. */
public interface StreamListener {

  void onText(String delta);

  void onComplete(ProviderAnswer answer);

  void onError(ProviderFailure failure);
}
