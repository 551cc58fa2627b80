package dev.devloop.provider.adapters.out.langchain;

import dev.devloop.provider.domain.ProviderFailure;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import java.time.Duration;

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
}
