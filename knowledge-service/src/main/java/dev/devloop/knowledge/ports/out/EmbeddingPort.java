package dev.devloop.knowledge.ports.out;

import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * Outgoing port turning texts into embedding vectors, one per text and in order. Throws
 * {@link DependencyUnavailableException} when the embedding backend cannot answer.
 */
public interface EmbeddingPort {
    /** Embeds {@code texts} on behalf of {@code tenant} (a remote backend may meter it). */
    List<float[]> embed(String tenant, List<String> texts);

    /**
     * True when {@link #embed(String, List, CompletionStage)} gives up early once told to, so the call may start before
     * it is known to be needed (a single document's embedding overlaps the read of its stored content hash). This
     * default: false (a remote backend's call is paid in full, so it only starts once it is needed).
     */
    default boolean stopsEarly() {
        return false;
    }

    /**
     * {@link #embed(String, List)}, given up when {@code abandon} completes first: it then throws
     * {@link java.util.concurrent.CancellationException} as soon as it can (an embedder that {@link #stopsEarly()}
     * stops between texts and inside a running inference). This default ignores {@code abandon}.
     */
    default List<float[]> embed(String tenant, List<String> texts, CompletionStage<?> abandon) {
        return embed(tenant, texts);
    }

    /** Length of every vector returned. */
    int dimensions();

    /**
     * The id of the vector space this embedder's vectors belong to ({@link EmbeddingModels}): written on every stored
     * vector, and a search compares only stored vectors with this id.
     */
    String model();
}
