package dev.devloop.knowledge.ports.out;

import java.util.List;

/**
 * Outgoing port turning texts into embedding vectors, one per text and in order. Throws
 * {@link DependencyUnavailableException} when the embedding backend cannot answer.
 */
public interface EmbeddingPort {
    /** Embeds {@code texts} on behalf of {@code tenant} (a remote backend may meter it). */
    List<float[]> embed(String tenant, List<String> texts);

    /** Length of every vector returned. */
    int dimensions();
}
