package dev.devloop.knowledge.application;

import dev.devloop.contracts.logging.LogFields;
import dev.devloop.knowledge.domain.CacheKey;
import dev.devloop.knowledge.domain.CacheRegion;
import dev.devloop.knowledge.domain.Fusion;
import dev.devloop.knowledge.domain.HybridRanking;
import dev.devloop.knowledge.domain.ScoredChunk;
import dev.devloop.knowledge.domain.SearchHit;
import dev.devloop.knowledge.domain.SearchMode;
import dev.devloop.knowledge.ports.in.KnowledgeRefusal;
import dev.devloop.knowledge.ports.in.SearchCommand;
import dev.devloop.knowledge.ports.in.SearchUseCase;
import dev.devloop.knowledge.ports.out.DocumentStorePort;
import dev.devloop.knowledge.ports.out.EmbeddingPort;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import org.jboss.logging.Logger;

/** Searches a tenant's chunks by vector similarity, full-text relevance, or both fused. */
public class SearchService implements SearchUseCase {
    private static final Logger LOG = Logger.getLogger(SearchService.class);

    private final DocumentStorePort store;
    private final EmbeddingPort embeddings;
    private final SearchLimits limits;
    private final DocumentLimits documentLimits;
    private final ReadCache cache;
    private final KeywordSide keywordSide;
    private final boolean hybridInOneStatement;

    public SearchService(
            DocumentStorePort store, EmbeddingPort embeddings, SearchLimits limits, DocumentLimits documentLimits) {
        this(store, embeddings, limits, documentLimits, ReadCache.disabled());
    }

    /** With a read cache of results, keyed by the normalised request; any document write invalidates them. */
    public SearchService(
            DocumentStorePort store,
            EmbeddingPort embeddings,
            SearchLimits limits,
            DocumentLimits documentLimits,
            ReadCache cache) {
        this(store, embeddings, limits, documentLimits, cache, Runnable::run);
    }

    /**
     * With {@code keywordSide} running a hybrid search's keyword query while the calling thread embeds the query and
     * asks for the nearest chunks (the keyword query needs no embedding, so the two overlap); {@code Runnable::run}
     * runs them one after the other.
     */
    public SearchService(
            DocumentStorePort store,
            EmbeddingPort embeddings,
            SearchLimits limits,
            DocumentLimits documentLimits,
            ReadCache cache,
            Executor keywordSide) {
        this(store, embeddings, limits, documentLimits, cache, KeywordSide.on(keywordSide));
    }

    /** With {@code keywordSide} starting a hybrid search's keyword query before the query is embedded. */
    public SearchService(
            DocumentStorePort store,
            EmbeddingPort embeddings,
            SearchLimits limits,
            DocumentLimits documentLimits,
            ReadCache cache,
            KeywordSide keywordSide) {
        this(store, embeddings, limits, documentLimits, cache, keywordSide, false);
    }

    /**
     * As above; with {@code hybridInOneStatement} a hybrid search of a tenant the store answers in one round trip
     * ({@link DocumentStorePort#hybridInOne}) embeds the query first and then asks for both sides at once
     * ({@link DocumentStorePort#hybrid}), and {@code keywordSide} only runs for the other tenants. Without it the
     * keyword query always overlaps the embedding.
     */
    public SearchService(
            DocumentStorePort store,
            EmbeddingPort embeddings,
            SearchLimits limits,
            DocumentLimits documentLimits,
            ReadCache cache,
            KeywordSide keywordSide,
            boolean hybridInOneStatement) {
        this.keywordSide = keywordSide;
        this.hybridInOneStatement = hybridInOneStatement;
        this.cache = cache;
        this.store = store;
        this.embeddings = embeddings;
        this.limits = limits;
        this.documentLimits = documentLimits;
    }

    @Override
    public List<SearchHit> search(SearchCommand command) {
        String tenant = KnowledgeTenants.checked(command.tenant());
        String query = Inputs.text("query", command.query(), limits.maxQueryLength(), true);
        SearchMode mode = command.mode() == null
                ? SearchMode.HYBRID
                : SearchMode.parse(command.mode())
                        .orElseThrow(() -> KnowledgeRefusal.invalid("mode", "mode must be vector, keyword or hybrid"));
        Fusion fusion = command.fusion() == null
                ? Fusion.WEIGHTED
                : Fusion.parse(command.fusion())
                        .orElseThrow(() -> KnowledgeRefusal.invalid("fusion", "fusion must be weighted or rrf"));
        int limit = Inputs.count("limit", command.limit(), limits.defaultLimit(), limits.maxLimit());
        Map<String, Object> filters = Inputs.metadata(
                "filters",
                command.filters(),
                documentLimits.maxMetadataEntries(),
                documentLimits.maxMetadataValueLength());
        double vectorWeight = weight("weights.vector", command.vectorWeight(), limits.vectorWeight());
        double keywordWeight = weight("weights.keyword", command.keywordWeight(), limits.keywordWeight());
        if (vectorWeight + keywordWeight <= 0) {
            throw KnowledgeRefusal.invalid("weights", "at least one weight must be positive");
        }
        String request =
                mode + "\n" + (mode == SearchMode.HYBRID ? fusion + "\n" + vectorWeight + "\n" + keywordWeight : "")
                        + "\n" + limit + "\n" + new TreeMap<>(filters) + "\n" + query;
        List<SearchHit> hits = cache.read(
                        new CacheKey(tenant, CacheRegion.SEARCH, "search", EntityService.sha256(request)),
                        CachedViews.Hits.class,
                        () -> new CachedViews.Hits(
                                run(tenant, query, mode, fusion, limit, filters, vectorWeight, keywordWeight)))
                .hits();
        LogFields.of(
                        "tenant",
                        tenant,
                        "mode",
                        mode.name().toLowerCase(),
                        "fusion",
                        mode == SearchMode.HYBRID ? fusion.name().toLowerCase() : "none",
                        "limit",
                        limit,
                        "hits",
                        hits.size())
                .info(LOG, "search answered");
        return hits;
    }

    private List<SearchHit> run(
            String tenant,
            String query,
            SearchMode mode,
            Fusion fusion,
            int limit,
            Map<String, Object> filters,
            double vectorWeight,
            double keywordWeight) {
        List<SearchHit> hits =
                switch (mode) {
                    case VECTOR ->
                        HybridRanking.single(store.nearest(tenant, embed(tenant, query), limit, filters), true, limit);
                    case KEYWORD -> HybridRanking.single(store.keyword(tenant, query, limit, filters), false, limit);
                    case HYBRID -> {
                        int candidates = Math.min(limits.maxCandidates(), limit * limits.hybridCandidateFactor());
                        if (hybridInOneStatement && store.hybridInOne(tenant)) {
                            DocumentStorePort.HybridCandidates found =
                                    store.hybrid(tenant, embed(tenant, query), query, candidates, filters);
                            yield fused(found.vector(), found.keyword(), fusion, vectorWeight, keywordWeight, limit);
                        }
                        CompletableFuture<List<ScoredChunk>> pending =
                                keywordSide.start(store, tenant, query, candidates, filters);
                        List<ScoredChunk> vector;
                        try {
                            vector = store.nearest(tenant, embed(tenant, query), candidates, filters);
                        } catch (RuntimeException e) {
                            pending.cancel(false);
                            throw e;
                        }
                        yield fused(vector, joined(pending), fusion, vectorWeight, keywordWeight, limit);
                    }
                };
        return hits;
    }

    private static List<SearchHit> fused(
            List<ScoredChunk> vector,
            List<ScoredChunk> keyword,
            Fusion fusion,
            double vectorWeight,
            double keywordWeight,
            int limit) {
        return fusion == Fusion.RRF
                ? HybridRanking.fuse(vector, keyword, Fusion.RRF, 1.0, 1.0, limit)
                : HybridRanking.fuse(vector, keyword, Fusion.WEIGHTED, vectorWeight, keywordWeight, limit);
    }

    /** The keyword side's hits, or the very exception it threw (a 503 stays a 503). */
    private static List<ScoredChunk> joined(CompletableFuture<List<ScoredChunk>> pending) {
        try {
            return pending.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException cause) {
                throw cause;
            }
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            throw e;
        }
    }

    private float[] embed(String tenant, String query) {
        List<float[]> vectors = embeddings.embed(tenant, List.of(query));
        if (vectors.size() != 1) {
            throw new IllegalStateException("embedding backend returned " + vectors.size() + " vectors for one query");
        }
        return vectors.get(0);
    }

    private static double weight(String field, Double value, double fallback) {
        if (value == null) {
            return fallback;
        }
        if (!Double.isFinite(value) || value < 0 || value > 1) {
            throw KnowledgeRefusal.invalid(field, field + " must be between 0 and 1");
        }
        return value;
    }
}
