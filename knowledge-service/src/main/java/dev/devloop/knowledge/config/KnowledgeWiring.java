package dev.devloop.knowledge.config;

import dev.devloop.knowledge.adapters.out.cache.RedisReadCache;
import dev.devloop.knowledge.adapters.out.kafka.KafkaCacheEvents;
import dev.devloop.knowledge.adapters.out.mongo.MongoFactStore;
import dev.devloop.knowledge.adapters.out.neo4j.Neo4jFactStore;
import dev.devloop.knowledge.adapters.out.redis.RedisFactStore;
import dev.devloop.knowledge.application.AgentMirrorService;
import dev.devloop.knowledge.application.BatchLimits;
import dev.devloop.knowledge.application.DocumentLimits;
import dev.devloop.knowledge.application.DocumentService;
import dev.devloop.knowledge.application.EntityService;
import dev.devloop.knowledge.application.EventDeduplicator;
import dev.devloop.knowledge.application.FactEventService;
import dev.devloop.knowledge.application.FactLimits;
import dev.devloop.knowledge.application.FactService;
import dev.devloop.knowledge.application.GraphLimits;
import dev.devloop.knowledge.application.KeywordSide;
import dev.devloop.knowledge.application.RagLimits;
import dev.devloop.knowledge.application.RagService;
import dev.devloop.knowledge.application.ReadCache;
import dev.devloop.knowledge.application.ReembedService;
import dev.devloop.knowledge.application.SearchLimits;
import dev.devloop.knowledge.application.SearchService;
import dev.devloop.knowledge.application.SweepService;
import dev.devloop.knowledge.application.roadmap.ForgeEventService;
import dev.devloop.knowledge.application.roadmap.ReleaseNotesService;
import dev.devloop.knowledge.application.roadmap.RoadmapImportService;
import dev.devloop.knowledge.application.roadmap.RoadmapLimits;
import dev.devloop.knowledge.application.roadmap.RoadmapService;
import dev.devloop.knowledge.ports.out.AgentGraphPort;
import dev.devloop.knowledge.ports.out.DocumentStorePort;
import dev.devloop.knowledge.ports.out.EmbeddingPort;
import dev.devloop.knowledge.ports.out.EntityGraphPort;
import dev.devloop.knowledge.ports.out.GenerationPort;
import dev.devloop.knowledge.ports.out.ProcessedEventsPort;
import dev.devloop.knowledge.ports.out.RoadmapStorePort;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** Wires the framework-free core to its adapters. */
@ApplicationScoped
public class KnowledgeWiring {

    @Produces
    @ApplicationScoped
    Clock clock() {
        return Clock.systemUTC();
    }

    @Produces
    @ApplicationScoped
    ReadCache readCache(KnowledgeConfig config, RedisReadCache redis, KafkaCacheEvents events) {
        KnowledgeConfig.Cache c = config.cache();
        return c.enabled() ? new ReadCache(redis, events, c.ttl(), c.dedupRetention()) : ReadCache.disabled();
    }

    @Produces
    @ApplicationScoped
    FactService factService(
            RedisFactStore shortTier,
            MongoFactStore mediumTier,
            Neo4jFactStore longTier,
            FactLimits limits,
            Clock clock,
            ReadCache cache) {
        return new FactService(shortTier, mediumTier, longTier, limits, clock, cache);
    }

    @Produces
    @Singleton
    FactLimits factLimits(KnowledgeConfig config) {
        KnowledgeConfig.Facts facts = config.facts();
        return new FactLimits(facts.maxKeyLength(), facts.maxValueBytes(), facts.maxTtlSeconds(), facts.maxListSize());
    }

    @Produces
    @ApplicationScoped
    SweepService sweepService(
            MongoFactStore mediumTier,
            Neo4jFactStore longTier,
            ProcessedEventsPort processed,
            KnowledgeConfig config,
            Clock clock) {
        return new SweepService(
                List.of(mediumTier, longTier),
                processed,
                config.events().dedupRetention(),
                config.sweeper().batchSize(),
                config.sweeper().maxBatches(),
                clock);
    }

    @Produces
    @ApplicationScoped
    EventDeduplicator eventDeduplicator(ProcessedEventsPort processed, KnowledgeConfig config, Clock clock) {
        return new EventDeduplicator(
                processed, clock, config.events().maxAttempts(), config.events().retryBackoff());
    }

    @Produces
    @ApplicationScoped
    FactEventService factEventService(FactService facts, EventDeduplicator once) {
        return new FactEventService(facts, once);
    }

    @Produces
    @ApplicationScoped
    AgentMirrorService agentMirrorService(AgentGraphPort graph, EventDeduplicator once, KnowledgeConfig config) {
        return new AgentMirrorService(
                graph,
                once,
                config.agents().maxTreeDepth(),
                config.agents().maxTreeNodes(),
                config.facts().maxKeyLength());
    }

    @Produces
    @Singleton
    DocumentLimits documentLimits(KnowledgeConfig config) {
        KnowledgeConfig.Documents d = config.documents();
        return new DocumentLimits(
                d.chunkSize(),
                d.chunkOverlap(),
                d.maxBytes(),
                d.maxChunks(),
                d.maxIdLength(),
                d.maxTitleLength(),
                d.maxMetadataEntries(),
                d.maxMetadataValueLength(),
                config.embeddings().maxBatchSize());
    }

    @Produces
    @Singleton
    BatchLimits batchLimits(KnowledgeConfig config) {
        KnowledgeConfig.Documents d = config.documents();
        if (d.batchMaxDocuments() < 1 || d.batchMaxBytes() < 1 || d.batchMaxChunks() < 1) {
            throw new IllegalStateException("devloop.knowledge.documents.batch-max-* must be positive");
        }
        return new BatchLimits(d.batchMaxDocuments(), d.batchMaxBytes(), d.batchMaxChunks());
    }

    @Produces
    @ApplicationScoped
    DocumentService documentService(
            DocumentStorePort store,
            EmbeddingPort embeddings,
            DocumentLimits limits,
            BatchLimits batchLimits,
            Clock clock,
            ReadCache cache) {
        return new DocumentService(store, embeddings, limits, batchLimits, clock, cache);
    }

    @Produces
    @Singleton
    SearchLimits searchLimits(KnowledgeConfig config) {
        KnowledgeConfig.Search s = config.search();
        return new SearchLimits(
                s.defaultLimit(),
                s.maxLimit(),
                s.maxQueryLength(),
                s.hybridCandidateFactor(),
                s.maxCandidates(),
                s.vectorWeight(),
                s.keywordWeight());
    }

    @Produces
    @ApplicationScoped
    SearchService searchService(
            DocumentStorePort store,
            EmbeddingPort embeddings,
            SearchLimits limits,
            DocumentLimits documentLimits,
            KnowledgeConfig config,
            ReadCache cache) {
        KeywordSide overlapped = config.search().keywordAsync()
                ? KeywordSide.storeAsync()
                : KeywordSide.on(keywordSide(config.search().keywordThreads()));
        return new SearchService(
                store,
                embeddings,
                limits,
                documentLimits,
                cache,
                overlapped,
                config.search().hybridOneStatement());
    }

    /** The hybrid search's keyword side: bounded threads and queue; when full, the request thread runs it. */
    private synchronized Executor keywordSide(int threads) {
        if (threads < 0 || threads > 64) {
            throw new IllegalStateException("devloop.knowledge.search.keyword-threads must be 0..64, not " + threads);
        }
        if (threads == 0) {
            return Runnable::run;
        }
        if (keywordPool == null) {
            AtomicInteger n = new AtomicInteger();
            keywordPool = new ThreadPoolExecutor(
                    threads,
                    threads,
                    60,
                    TimeUnit.SECONDS,
                    new ArrayBlockingQueue<>(64),
                    r -> {
                        Thread t = new Thread(r, "knowledge-search-keyword-" + n.incrementAndGet());
                        t.setDaemon(true);
                        return t;
                    },
                    new ThreadPoolExecutor.CallerRunsPolicy());
            keywordPool.allowCoreThreadTimeOut(true);
        }
        return keywordPool;
    }

    private ThreadPoolExecutor keywordPool;

    @PreDestroy
    synchronized void stopKeywordPool() {
        if (keywordPool != null) {
            keywordPool.shutdown();
        }
    }

    @Produces
    @ApplicationScoped
    RagService ragService(SearchService search, GenerationPort generation, KnowledgeConfig config) {
        KnowledgeConfig.Rag r = config.rag();
        return new RagService(
                search,
                generation,
                new RagLimits(
                        r.maxQuestionLength(), r.defaultLimit(), r.maxLimit(), r.contextTokens(), r.maxAnswerTokens()));
    }

    @Produces
    @Singleton
    RoadmapLimits roadmapLimits(KnowledgeConfig config) {
        KnowledgeConfig.Roadmap r = config.roadmap();
        return new RoadmapLimits(
                r.defaultListLimit(),
                r.maxListLimit(),
                r.maxChildren(),
                r.maxDependencies(),
                r.maxTreeNodes(),
                r.maxViewNodes(),
                r.defaultReadyLimit(),
                r.maxReadyLimit(),
                r.maxImportNodes(),
                r.maxImportEdges(),
                r.maxCascade(),
                r.maxDependencyDepth(),
                r.maxMetadataBytes(),
                r.maxLinkItems());
    }

    @Produces
    @ApplicationScoped
    RoadmapService roadmapService(RoadmapStorePort store, RoadmapLimits limits, Clock clock) {
        return new RoadmapService(store, limits, clock);
    }

    @Produces
    @ApplicationScoped
    RoadmapImportService roadmapImportService(RoadmapStorePort store, RoadmapLimits limits, Clock clock) {
        return new RoadmapImportService(store, limits, clock);
    }

    @Produces
    @ApplicationScoped
    ForgeEventService forgeEventService(
            RoadmapStorePort store, EventDeduplicator once, RoadmapLimits limits, Clock clock) {
        return new ForgeEventService(store, once, limits, clock);
    }

    @Produces
    @ApplicationScoped
    ReleaseNotesService releaseNotesService(RoadmapStorePort store, RoadmapLimits limits) {
        return new ReleaseNotesService(store, limits);
    }

    @Produces
    @ApplicationScoped
    ReembedService reembedService(
            DocumentStorePort store,
            EntityGraphPort graph,
            EmbeddingPort embeddings,
            KnowledgeConfig config,
            ReadCache cache) {
        return new ReembedService(store, graph, embeddings, config.embeddings().maxBatchSize(), cache);
    }

    @Produces
    @ApplicationScoped
    EntityService entityService(
            EntityGraphPort graph, KnowledgeConfig config, Clock clock, EmbeddingPort embeddings, ReadCache cache) {
        KnowledgeConfig.Graph g = config.graph();
        GraphLimits limits = new GraphLimits(
                config.facts().maxKeyLength(),
                config.facts().maxValueBytes(),
                g.defaultListLimit(),
                g.maxListLimit(),
                g.maxRelations(),
                g.maxDepth(),
                g.maxNeighbourhoodEntities(),
                config.search().maxQueryLength(),
                g.defaultSimilarLimit(),
                g.maxSimilarLimit(),
                g.maxPropertyFilters(),
                g.maxFilterValues());
        return new EntityService(graph, limits, clock, embeddings, cache);
    }
}
