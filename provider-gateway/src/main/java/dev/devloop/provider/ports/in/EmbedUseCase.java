package dev.devloop.provider.ports.in;

import dev.devloop.provider.ports.out.EmbeddingProviderPort.EmbeddingAnswer;
import java.util.List;

/** Incoming port: embeddings for a tenant. */
public interface EmbedUseCase {

    /** The provider that served the call and its answer. */
    record Embedded(String provider, EmbeddingAnswer answer) {}

    /**
     * Validates and embeds {@code inputs} with {@code model} (null: the default embedding model).
     *
     * @throws dev.devloop.contracts.problem.Refusal on invalid input (INVALID: 400)
     * @throws dev.devloop.provider.domain.ProviderFailure when the provider fails
     */
    Embedded embed(String tenant, String model, List<String> inputs, Integer dimensions, String agentId);

    /** Every embedding model the gateway serves, as {@code provider/model}. */
    List<String> models();
}
