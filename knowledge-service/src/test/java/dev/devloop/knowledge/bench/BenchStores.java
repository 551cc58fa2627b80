package dev.devloop.knowledge.bench;

import dev.devloop.knowledge.adapters.out.mongo.MongoFactStore;
import dev.devloop.knowledge.adapters.out.neo4j.Neo4jFactStore;
import dev.devloop.knowledge.adapters.out.redis.RedisFactStore;
import dev.devloop.knowledge.application.DocumentLimits;
import dev.devloop.knowledge.application.FactLimits;
import dev.devloop.knowledge.application.FactService;
import dev.devloop.knowledge.application.KeywordSide;
import dev.devloop.knowledge.application.ReadCache;
import dev.devloop.knowledge.application.SearchLimits;
import dev.devloop.knowledge.application.SearchService;
import dev.devloop.knowledge.ports.out.DocumentStorePort;
import dev.devloop.knowledge.ports.out.EmbeddingPort;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.Executor;
import org.neo4j.driver.Driver;

/**
 * The benchmarks' shared set-up over the real stores: the document store, embedder and fact tiers as configured, the
 * search and fact use cases with the read cache off (what a cache miss runs), and removing a benchmark tenant's nodes.
 */
@Singleton
class BenchStores {
    @Inject
    DocumentStorePort store;

    @Inject
    EmbeddingPort embeddings;

    @Inject
    DocumentLimits documentLimits;

    @Inject
    SearchLimits searchLimits;

    @Inject
    Driver neo4j;

    @Inject
    RedisFactStore shortTier;

    @Inject
    MongoFactStore mediumTier;

    @Inject
    Neo4jFactStore longTier;

    @Inject
    FactLimits factLimits;

    /** The fact use case over the three tiers, read cache off. */
    FactService uncachedFacts() {
        return new FactService(shortTier, mediumTier, longTier, factLimits, Clock.systemUTC(), ReadCache.disabled());
    }

    /** The configured search, read cache off. */
    SearchService uncachedSearch() {
        return new SearchService(store, embeddings, searchLimits, documentLimits);
    }

    /** Search with the given embedder and keyword-side executor, read cache off. */
    SearchService uncachedSearch(EmbeddingPort embedder, Executor keywordSide) {
        return new SearchService(store, embedder, searchLimits, documentLimits, ReadCache.disabled(), keywordSide);
    }

    /** Search with the given embedder and keyword side, both sides in one statement where the store can, cache off. */
    SearchService uncachedSearch(EmbeddingPort embedder, KeywordSide keywordSide, boolean hybridInOneStatement) {
        return new SearchService(
                store, embedder, searchLimits, documentLimits, ReadCache.disabled(), keywordSide, hybridInOneStatement);
    }

    /** Search with the given embedder and keyword side, read cache off. */
    SearchService uncachedSearch(EmbeddingPort embedder, KeywordSide keywordSide) {
        return new SearchService(store, embedder, searchLimits, documentLimits, ReadCache.disabled(), keywordSide);
    }

    /** Removes every node of the tenant (a benchmark's tenant holds only what the benchmark wrote). */
    void dropTenant(String tenant) {
        try (var session = neo4j.session()) {
            session.run("MATCH (n) WHERE n.tenant = $t DETACH DELETE n", Map.of("t", tenant))
                    .consume();
        }
    }
}
