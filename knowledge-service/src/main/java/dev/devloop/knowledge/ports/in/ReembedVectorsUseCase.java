package dev.devloop.knowledge.ports.in;

import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * Incoming port of the re-embed job: stored vectors of another model than the running one (or of none) are embedded
 * again with the running model, a bounded batch per run.
 */
public interface ReembedVectorsUseCase {
    /**
     * What one run did: chunks and entities re-embedded ({@code chunksSkipped}: deleted or changed meanwhile), and the
     * vectors left of other models afterwards, by the model they are of ({@code "none"}: untagged).
     */
    record Run(
            int chunks,
            int chunksSkipped,
            int entities,
            boolean stopped,
            Map<String, Long> staleChunks,
            Map<String, Long> staleEntities) {}

    /**
     * Re-embeds at most {@code batchSize} chunks and entities (chunks first), checking {@code stop} between embedding
     * calls: once it is true the run ends there ({@code stopped}). Throws when the embedding backend or the store is
     * unavailable (nothing half-written: each call's vectors are stored in one statement).
     */
    Run reembed(int batchSize, BooleanSupplier stop);

    /** The vectors of other models than the running one, by kind ({@code chunk}, {@code entity}) and model. */
    Map<String, Map<String, Long>> staleCounts();
}
