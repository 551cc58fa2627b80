package dev.devloop.knowledge.application;

import dev.devloop.contracts.logging.LogFields;
import dev.devloop.knowledge.domain.CacheRegion;
import dev.devloop.knowledge.domain.Entity;
import dev.devloop.knowledge.domain.EntityText;
import dev.devloop.knowledge.ports.in.ReembedVectorsUseCase;
import dev.devloop.knowledge.ports.out.DocumentStorePort;
import dev.devloop.knowledge.ports.out.DocumentStorePort.StaleChunk;
import dev.devloop.knowledge.ports.out.EmbeddingPort;
import dev.devloop.knowledge.ports.out.EntityGraphPort;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BooleanSupplier;
import org.jboss.logging.Logger;

/**
 * Re-embeds stored vectors of another model than the running one ({@link EmbeddingPort#model()}): chunks first, tenant by
 * tenant, in embedding calls of at most {@code embedBatchSize} texts of one tenant, each call's vectors stored in one
 * statement that re-checks the chunk (still there, same text, still stale); then entities through the entity write path
 * (stored only while the entity keeps the content embedded). Touched tenants' search and graph caches are invalidated.
 */
public class ReembedService implements ReembedVectorsUseCase {
    private static final Logger LOG = Logger.getLogger(ReembedService.class);

    private final DocumentStorePort documents;
    private final EntityGraphPort entities;
    private final EmbeddingPort embeddings;
    private final int embedBatchSize;
    private final ReadCache cache;
    private final List<String> tenants;

    /** Every tenant's vectors. */
    public ReembedService(
            DocumentStorePort documents,
            EntityGraphPort entities,
            EmbeddingPort embeddings,
            int embedBatchSize,
            ReadCache cache) {
        this(documents, entities, embeddings, embedBatchSize, cache, List.of());
    }

    /** Only the vectors of {@code tenants} (empty: every tenant's), e.g. a test's own tenants on a shared store. */
    public ReembedService(
            DocumentStorePort documents,
            EntityGraphPort entities,
            EmbeddingPort embeddings,
            int embedBatchSize,
            ReadCache cache,
            List<String> tenants) {
        if (embedBatchSize < 1) {
            throw new IllegalArgumentException("embedBatchSize must be positive");
        }
        this.documents = documents;
        this.entities = entities;
        this.embeddings = embeddings;
        this.embedBatchSize = embedBatchSize;
        this.cache = cache;
        this.tenants = List.copyOf(tenants);
    }

    @Override
    public Run reembed(int batchSize, BooleanSupplier stop) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize must be positive");
        }
        List<StaleChunk> chunks = documents.staleChunks(tenants, batchSize);
        int written = 0;
        int attempted = 0;
        boolean stopped = false;
        Set<String> searchTenants = new TreeSet<>();
        int from = 0;
        while (from < chunks.size()) {
            if (stop.getAsBoolean()) {
                stopped = true;
                break;
            }
            String tenant = chunks.get(from).tenant();
            int to = from;
            while (to < chunks.size()
                    && to - from < embedBatchSize
                    && chunks.get(to).tenant().equals(tenant)) {
                to++;
            }
            List<StaleChunk> group = chunks.subList(from, to);
            List<String> texts = new ArrayList<>(group.size());
            group.forEach(c -> texts.add(c.text()));
            List<float[]> vectors = embeddings.embed(tenant, texts);
            if (vectors.size() != texts.size()) {
                throw new IllegalStateException(
                        "embedding backend returned " + vectors.size() + " vectors for " + texts.size() + " texts");
            }
            int n = documents.reembedded(group, vectors);
            written += n;
            attempted += group.size();
            if (n > 0) {
                searchTenants.add(tenant);
            }
            from = to;
        }
        int entityCount = 0;
        Set<String> graphTenants = new TreeSet<>();
        if (!stopped && chunks.size() < batchSize) {
            for (Entity entity : entities.staleEmbedded(tenants, batchSize - chunks.size())) {
                if (stop.getAsBoolean()) {
                    stopped = true;
                    break;
                }
                List<float[]> vectors = embeddings.embed(
                        entity.tenant(), List.of(EntityText.of(entity.type(), entity.id(), entity.propertiesJson())));
                if (vectors.size() != 1) {
                    throw new IllegalStateException(
                            "embedding backend returned " + vectors.size() + " vectors for one text");
                }
                entities.embed(entity.tenant(), entity.id(), entity.type(), entity.propertiesJson(), vectors.get(0));
                graphTenants.add(entity.tenant());
                entityCount++;
            }
        }
        for (String tenant : searchTenants) {
            cache.invalidate(tenant, Set.of(CacheRegion.SEARCH), List.of(), "vectors re-embedded");
        }
        for (String tenant : graphTenants) {
            cache.invalidate(tenant, Set.of(CacheRegion.GRAPH), List.of(), "entity vectors re-embedded");
        }
        Map<String, Long> staleChunks = documents.staleChunkCounts(tenants);
        Map<String, Long> staleEntities = entities.staleEntityCounts(tenants);
        Run run = new Run(written, attempted - written, entityCount, stopped, staleChunks, staleEntities);
        LogFields fields = LogFields.of(
                "model",
                embeddings.model(),
                "chunks",
                run.chunks(),
                "chunksSkipped",
                run.chunksSkipped(),
                "entities",
                run.entities(),
                "stopped",
                run.stopped(),
                "staleChunks",
                staleChunks,
                "staleEntities",
                staleEntities);
        if (run.chunks() + run.chunksSkipped() + run.entities() > 0) {
            fields.info(LOG, "re-embed run");
        } else {
            fields.debug(LOG, "re-embed run");
        }
        return run;
    }

    @Override
    public Map<String, Map<String, Long>> staleCounts() {
        return Map.of("chunk", documents.staleChunkCounts(tenants), "entity", entities.staleEntityCounts(tenants));
    }
}
