package dev.devloop.provider.ports.out;

import java.util.List;

/** Outgoing port to one embedding provider (OpenAI, the in-process all-MiniLM-L6-v2). */
public interface EmbeddingProviderPort {

    /** A batch of vectors, in input order, and the tokens the provider counted. */
    record EmbeddingAnswer(List<float[]> vectors, long inputTokens, String model) {}

    String name();

    /** Models this provider serves. */
    List<String> models();

    boolean configured();

    String notConfiguredDetail();

    /** Vector size when fixed (null when the model decides or {@code dimensions} may change it). */
    Integer fixedDimension(String model);

    /**
     * Embeds the inputs.
     *
     * @throws dev.devloop.provider.domain.ProviderFailure classified
     */
    EmbeddingAnswer embed(String model, List<String> inputs, Integer dimensions);
}
