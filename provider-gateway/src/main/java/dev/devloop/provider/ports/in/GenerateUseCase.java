package dev.devloop.provider.ports.in;

import dev.devloop.contracts.provider.GenerateRequest;
import dev.devloop.contracts.provider.GenerateResponse;
import dev.devloop.provider.domain.CacheMode;
import dev.devloop.provider.domain.ContextPrompt;
import java.util.concurrent.CompletionStage;

/** Incoming port: one normalised chat generation for a tenant, tools included. */
public interface GenerateUseCase {

    /**
     * Validates the request, calls the provider and returns its normalised answer.
     *
     * @throws dev.devloop.contracts.problem.Refusal on invalid input (INVALID: 400) or a spent budget (TOO_MANY, slug budget-exceeded: 429)
     * @throws dev.devloop.provider.domain.ProviderFailure when the provider cannot answer
     */
    default GenerateResponse generate(String tenant, GenerateRequest request) {
        return generate(tenant, request, CacheMode.AUTO);
    }

    /** As {@link #generate(String, GenerateRequest)}, using the response cache as {@code cache} says. */
    GenerateResponse generate(String tenant, GenerateRequest request, CacheMode cache);

    /** As above; {@code redact} masks PII in the messages before anything leaves the gateway. */
    GenerateResponse generate(String tenant, GenerateRequest request, CacheMode cache, boolean redact);

    /**
     * As {@link #generate(String, GenerateRequest, CacheMode, boolean)}, answering later: validation, routing, the
     * budget and the cache lookup run on the caller's thread (and throw there); a non-blocking provider's call holds no
     * thread while it waits, and its failure ({@link dev.devloop.provider.domain.ProviderFailure}) fails the stage.
     */
    CompletionStage<GenerateResponse> generateAsync(
            String tenant, GenerateRequest request, CacheMode cache, boolean redact);

    /**
     * {@code generate_with_context}: {@code request} carries routing, options and a placeholder
     * message; the prompt sent is {@code context} rendered for each provider tried (XML for Claude).
     */
    GenerateResponse generateWithContext(
            String tenant, GenerateRequest request, ContextPrompt context, CacheMode cache, boolean redact);

    /**
     * Validates the request and streams the provider's answer to {@code stream}. Invalid input and
     * an unconfigured provider throw before anything is streamed.
     */
    void stream(String tenant, GenerateRequest request, GenerationStream stream);

    /** As above, masking PII first when {@code redact}. */
    void stream(String tenant, GenerateRequest request, boolean redact, GenerationStream stream);
}
