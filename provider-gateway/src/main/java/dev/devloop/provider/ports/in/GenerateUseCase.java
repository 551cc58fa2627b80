package dev.devloop.provider.ports.in;

import dev.devloop.contracts.provider.GenerateRequest;
import dev.devloop.contracts.provider.GenerateResponse;
import dev.devloop.provider.domain.CacheMode;

/** Incoming port: one normalised chat generation for a tenant, tools included. */
public interface GenerateUseCase {

  /**
   * Validates the request, calls the provider and returns its normalised answer.
   *
   * @throws dev.devloop.contracts.problem.ProblemException on invalid input (400)
   * @throws dev.devloop.provider.domain.ProviderFailure when the provider cannot answer
   */
  default GenerateResponse generate(String tenant, GenerateRequest request) {
    return generate(tenant, request, CacheMode.AUTO);
  }

  /** As {@link #generate(String, GenerateRequest)}, using the response cache as {@code cache} says. */
  GenerateResponse generate(String tenant, GenerateRequest request, CacheMode cache);

  /**
   * Validates the request and streams the provider's answer to {@code stream}. Invalid input and
   * an unconfigured provider throw before anything is streamed.
   */
  void stream(String tenant, GenerateRequest request, GenerationStream stream);
}
