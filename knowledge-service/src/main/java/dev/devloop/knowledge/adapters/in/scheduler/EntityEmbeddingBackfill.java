package dev.devloop.knowledge.adapters.in.scheduler;

import dev.devloop.knowledge.config.KnowledgeConfig;
import dev.devloop.knowledge.ports.in.EmbedEntitiesUseCase;
import dev.devloop.knowledge.ports.out.TierUnavailableException;
import io.quarkus.logging.Log;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Scheduled adapter giving typed entities without a vector (stored while the embedding backend was down, or
 * before entities were embedded) one, {@code sweeper.batch-size} per run, at the sweeper's interval.
 */
@ApplicationScoped
public class EntityEmbeddingBackfill {
    private final EmbedEntitiesUseCase entities;
    private final int batchSize;

    public EntityEmbeddingBackfill(EmbedEntitiesUseCase entities, KnowledgeConfig config) {
        this.entities = entities;
        this.batchSize = config.sweeper().batchSize();
    }

    @Scheduled(
            every = "${devloop.knowledge.sweeper.every}",
            delayed = "${devloop.knowledge.sweeper.every}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void backfill() {
        try {
            entities.embedMissing(batchSize);
        } catch (TierUnavailableException e) {
            Log.warnf("entity embedding backfill skipped: %s", e.getMessage());
        }
    }
}
