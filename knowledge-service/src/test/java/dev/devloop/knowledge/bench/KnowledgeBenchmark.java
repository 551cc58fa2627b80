package dev.devloop.knowledge.bench;

import dev.devloop.knowledge.adapters.out.mongo.MongoFactStore;
import dev.devloop.knowledge.adapters.out.neo4j.Neo4jFactStore;
import dev.devloop.knowledge.adapters.out.redis.RedisFactStore;
import dev.devloop.knowledge.application.DocumentLimits;
import dev.devloop.knowledge.application.FactLimits;
import dev.devloop.knowledge.application.FactService;
import dev.devloop.knowledge.application.ReadCache;
import dev.devloop.knowledge.application.SearchLimits;
import dev.devloop.knowledge.application.SearchService;
import dev.devloop.knowledge.config.KnowledgeConfig;
import dev.devloop.knowledge.ports.in.DocumentUseCase;
import dev.devloop.knowledge.ports.in.EntityGraphUseCase;
import dev.devloop.knowledge.ports.in.IngestDocumentCommand;
import dev.devloop.knowledge.ports.in.RelateEntitiesCommand;
import dev.devloop.knowledge.ports.in.SearchCommand;
import dev.devloop.knowledge.ports.in.SearchUseCase;
import dev.devloop.knowledge.ports.in.StoreFactCommand;
import dev.devloop.knowledge.ports.in.UpsertEntityCommand;
import dev.devloop.knowledge.ports.out.DocumentStorePort;
import dev.devloop.knowledge.ports.out.EmbeddingPort;
import dev.devloop.knowledge.ports.out.EntityGraphPort;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.neo4j.driver.Driver;

/**
 * Not a test (its name keeps it out of {@code verify}): a bounded benchmark on the real Redis, MongoDB,
 * Neo4j and the in-process embedding model, printing cached vs uncached reads and hybrid vs vector search as
 * ratios measured in the same run. Run it with
 * {@code ./mvnw -B -o -pl knowledge-service test -Dtest=KnowledgeBenchmark -Dsurefire.failIfNoSpecifiedTests=false}.
 * "Uncached" calls the very same code with the cache switched off (a {@link ReadCache#disabled()} service, or
 * the store port the use case falls back to on a miss).
 */
@QuarkusTest
@TestProfile(KnowledgeBenchmark.Quiet.class)
class KnowledgeBenchmark {
    /** The per-call INFO lines would be timed too (and only on the use-case side): keep the service's logs at WARN. */
    public static class Quiet implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.log.category.\"dev.devloop.knowledge\".level", "WARN");
        }
    }

    private static final int ENTITIES = 120;
    private static final int DOCUMENTS = 30;
    private static final int ROUNDS = Integer.getInteger("bench.rounds", 300);
    private static final Duration BUDGET = Duration.ofSeconds(5);

    @Inject
    EntityGraphUseCase entities;

    @Inject
    EntityGraphPort graphPort;

    @Inject
    FactService cachedFacts;

    @Inject
    RedisFactStore shortTier;

    @Inject
    MongoFactStore mediumTier;

    @Inject
    Neo4jFactStore longTier;

    @Inject
    DocumentUseCase documents;

    @Inject
    SearchUseCase cachedSearch;

    @Inject
    DocumentStorePort store;

    @Inject
    EmbeddingPort embeddings;

    @Inject
    DocumentLimits documentLimits;

    @Inject
    KnowledgeConfig config;

    @Inject
    Driver neo4j;

    private static final String[] TOPICS = {
        "Kafka partitions keep per-key ordering while consumers in a group share the partitions.",
        "Redis keys expire with a TTL; eviction policies decide what goes when memory is full.",
        "Neo4j stores nodes and typed relationships and answers variable-length path queries.",
        "Circuit breakers open after repeated failures and probe the dependency before closing again.",
        "Vector indexes answer approximate nearest-neighbour queries over embeddings with cosine similarity.",
        "Rate limiting with token buckets smooths bursts while keeping an average request rate.",
        "OpenTelemetry propagates trace context across services through the traceparent header.",
        "Retrieval-augmented generation grounds model answers in retrieved passages with citations.",
        "Kubernetes schedules pods onto nodes and restarts containers that fail their probes.",
        "Idempotency keys let clients retry requests without applying the same operation twice.",
    };

    @Test
    void run() {
        String tenant = "bench-" + UUID.randomUUID().toString().substring(0, 8);
        long started = System.nanoTime();
        try {
            System.out.println(
                    "\n=== knowledge-service benchmark (tenant " + tenant + ", " + ROUNDS + " rounds per row) ===");
            seed(tenant);
            System.out.printf(
                    Locale.ROOT,
                    "seeded %d entities, %d documents in %.1f s%n",
                    ENTITIES,
                    DOCUMENTS,
                    (System.nanoTime() - started) / 1e9);
            System.out.printf(Locale.ROOT, "%-34s %10s %10s %12s%n", "operation", "p50 ms", "p99 ms", "ops/s");

            Stats entityRaw =
                    measure("entity get, uncached (Neo4j)", i -> graphPort.details(tenant, "e-" + (i % 50), 500));
            Stats entityCached = measure("entity get, cached (Redis)", i -> entities.get(tenant, "e-" + (i % 50)));
            Stats hoodRaw = measure(
                    "neighbourhood d=2, uncached", i -> graphPort.neighbourhood(tenant, "e-" + (i % 50), 2, 500));
            Stats hoodCached =
                    measure("neighbourhood d=2, cached", i -> entities.neighbourhood(tenant, "e-" + (i % 50), 2));

            FactService uncachedFacts = new FactService(
                    shortTier,
                    mediumTier,
                    longTier,
                    new FactLimits(
                            config.facts().maxKeyLength(),
                            config.facts().maxValueBytes(),
                            config.facts().maxTtlSeconds(),
                            config.facts().maxListSize()),
                    Clock.systemUTC(),
                    ReadCache.disabled());
            Stats factRaw = measure(
                    "long fact get, uncached (R+M+N)", i -> uncachedFacts.get(tenant, "host-" + (i % 50), "state"));
            Stats factCached =
                    measure("long fact get, cached", i -> cachedFacts.get(tenant, "host-" + (i % 50), "state"));

            KnowledgeConfig.Search s = config.search();
            SearchService uncachedSearch = new SearchService(
                    store,
                    embeddings,
                    new SearchLimits(
                            s.defaultLimit(),
                            s.maxLimit(),
                            s.maxQueryLength(),
                            s.hybridCandidateFactor(),
                            s.maxCandidates(),
                            s.vectorWeight(),
                            s.keywordWeight()),
                    documentLimits,
                    ReadCache.disabled());
            String[] queries = {
                "how is ordering kept across partitions",
                "what happens when memory is full",
                "open circuit probing",
                "nearest neighbour embeddings",
                "retry without duplicates",
                "trace context header",
                "pods restarted by probes",
                "grounded answers with citations"
            };
            Stats vector = measure(
                    "search vector, uncached (baseline)",
                    i -> uncachedSearch.search(new SearchCommand(
                            tenant, queries[i % queries.length], "vector", 5, null, null, null, null)));
            Stats keyword = measure(
                    "search keyword, uncached",
                    i -> uncachedSearch.search(new SearchCommand(
                            tenant, queries[i % queries.length], "keyword", 5, null, null, null, null)));
            Stats hybrid = measure(
                    "search hybrid, uncached",
                    i -> uncachedSearch.search(new SearchCommand(
                            tenant, queries[i % queries.length], "hybrid", 5, null, null, null, null)));
            Stats hybridCached = measure(
                    "search hybrid, cached",
                    i -> cachedSearch.search(new SearchCommand(
                            tenant, queries[i % queries.length], "hybrid", 5, null, null, null, null)));

            System.out.println("\nratios (same run)");
            ratio("entity get: uncached p50 / cached p50", entityRaw.p50, entityCached.p50);
            ratio("entity get: cached ops/s / uncached ops/s", entityCached.opsPerSecond, entityRaw.opsPerSecond);
            ratio("neighbourhood: uncached p50 / cached p50", hoodRaw.p50, hoodCached.p50);
            ratio("fact get: uncached p50 / cached p50", factRaw.p50, factCached.p50);
            ratio("hybrid p50 / vector p50 (baseline)", hybrid.p50, vector.p50);
            ratio("keyword p50 / vector p50 (baseline)", keyword.p50, vector.p50);
            ratio("hybrid uncached p50 / hybrid cached p50", hybrid.p50, hybridCached.p50);
            ratio("hybrid cached ops/s / vector uncached ops/s", hybridCached.opsPerSecond, vector.opsPerSecond);
            System.out.printf(Locale.ROOT, "total %.1f s%n", (System.nanoTime() - started) / 1e9);
        } finally {
            try (var session = neo4j.session()) {
                session.run("MATCH (n) WHERE n.tenant = $t DETACH DELETE n", Map.of("t", tenant))
                        .consume();
            }
        }
    }

    private void seed(String tenant) {
        for (int i = 0; i < ENTITIES; i++) {
            entities.upsert(new UpsertEntityCommand(
                    tenant,
                    "e-" + i,
                    i % 3 == 0 ? "service" : "host",
                    "{\"n\":" + i + ",\"description\":\"" + TOPICS[i % TOPICS.length] + "\"}"));
        }
        for (int i = 1; i < ENTITIES; i++) {
            entities.relate(new RelateEntitiesCommand(tenant, "e-" + (i / 3), "e-" + i, "DEPENDS_ON", null));
        }
        for (int i = 0; i < 50; i++) {
            cachedFacts.store(
                    new StoreFactCommand(tenant, "host-" + i, "state", "{\"healthy\":" + (i % 2 == 0) + "}", null));
        }
        for (int d = 0; d < DOCUMENTS; d++) {
            StringBuilder text = new StringBuilder();
            for (int p = 0; p < 6; p++) {
                text.append(TOPICS[(d + p) % TOPICS.length])
                        .append(" Section ")
                        .append(d)
                        .append('.')
                        .append(p)
                        .append("\n\n");
            }
            documents.ingest(new IngestDocumentCommand(
                    tenant, "doc-" + d, "Doc " + d, text.toString(), "text/plain", Map.of("n", d)));
        }
    }

    private interface Op {
        void run(int i);
    }

    private record Stats(double p50, double p99, double opsPerSecond) {}

    /** Warms up, then times up to {@link #ROUNDS} calls (stopping at the time budget). */
    private static Stats measure(String name, Op op) {
        for (int i = 0; i < Math.min(20, ROUNDS); i++) {
            op.run(i);
        }
        List<Long> times = new ArrayList<>(ROUNDS);
        long begin = System.nanoTime();
        long deadline = begin + BUDGET.toNanos();
        for (int i = 0; i < ROUNDS && System.nanoTime() < deadline; i++) {
            long t0 = System.nanoTime();
            op.run(i);
            times.add(System.nanoTime() - t0);
        }
        long total = System.nanoTime() - begin;
        long[] sorted = times.stream().mapToLong(Long::longValue).toArray();
        Arrays.sort(sorted);
        Stats stats = new Stats(
                sorted[sorted.length / 2] / 1e6,
                sorted[(int) Math.min(sorted.length - 1, Math.ceil(sorted.length * 0.99) - 1)] / 1e6,
                sorted.length / (total / 1e9));
        System.out.printf(Locale.ROOT, "%-34s %10.3f %10.3f %12.0f%n", name, stats.p50, stats.p99, stats.opsPerSecond);
        return stats;
    }

    private static void ratio(String name, double a, double b) {
        System.out.printf(Locale.ROOT, "  %-46s %8.2fx%n", name, a / b);
    }
}
