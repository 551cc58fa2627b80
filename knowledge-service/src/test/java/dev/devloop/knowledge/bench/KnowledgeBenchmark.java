package dev.devloop.knowledge.bench;

import dev.devloop.knowledge.application.FactService;
import dev.devloop.knowledge.application.ReadCache;
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
import dev.devloop.knowledge.ports.out.EntityGraphPort;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

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
    private static final BenchRows ROWS = new BenchRows(ROUNDS, 20, BUDGET.toNanos(), "%-34s %10.3f %10.3f %12.0f%n");

    @Inject
    EntityGraphUseCase entities;

    @Inject
    EntityGraphPort graphPort;

    @Inject
    FactService cachedFacts;

    @Inject
    DocumentUseCase documents;

    @Inject
    SearchUseCase cachedSearch;

    @Inject
    KnowledgeConfig config;

    @Inject
    BenchStores stores;

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

            BenchRows.Stats entityRaw =
                    ROWS.measure("entity get, uncached (Neo4j)", i -> graphPort.details(tenant, "e-" + (i % 50), 500));
            BenchRows.Stats entityCached =
                    ROWS.measure("entity get, cached (Redis)", i -> entities.get(tenant, "e-" + (i % 50)));
            BenchRows.Stats hoodRaw = ROWS.measure(
                    "neighbourhood d=2, uncached", i -> graphPort.neighbourhood(tenant, "e-" + (i % 50), 2, 500));
            BenchRows.Stats hoodCached =
                    ROWS.measure("neighbourhood d=2, cached", i -> entities.neighbourhood(tenant, "e-" + (i % 50), 2));

            FactService uncachedFacts = stores.uncachedFacts();
            BenchRows.Stats factRaw = ROWS.measure(
                    "long fact get, uncached (R+M+N)", i -> uncachedFacts.get(tenant, "host-" + (i % 50), "state"));
            BenchRows.Stats factCached =
                    ROWS.measure("long fact get, cached", i -> cachedFacts.get(tenant, "host-" + (i % 50), "state"));

            SearchService uncachedSearch = stores.uncachedSearch();
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
            BenchRows.Stats vector = ROWS.measure(
                    "search vector, uncached (baseline)",
                    i -> uncachedSearch.search(new SearchCommand(
                            tenant, queries[i % queries.length], "vector", 5, null, null, null, null)));
            BenchRows.Stats keyword = ROWS.measure(
                    "search keyword, uncached",
                    i -> uncachedSearch.search(new SearchCommand(
                            tenant, queries[i % queries.length], "keyword", 5, null, null, null, null)));
            BenchRows.Stats hybrid = ROWS.measure(
                    "search hybrid, uncached",
                    i -> uncachedSearch.search(new SearchCommand(
                            tenant, queries[i % queries.length], "hybrid", 5, null, null, null, null)));
            BenchRows.Stats hybridCached = ROWS.measure(
                    "search hybrid, cached",
                    i -> cachedSearch.search(new SearchCommand(
                            tenant, queries[i % queries.length], "hybrid", 5, null, null, null, null)));

            System.out.println("\nratios (same run)");
            BenchRows.ratio("entity get: uncached p50 / cached p50", entityRaw.p50(), entityCached.p50());
            BenchRows.ratio(
                    "entity get: cached ops/s / uncached ops/s", entityCached.opsPerSecond(), entityRaw.opsPerSecond());
            BenchRows.ratio("neighbourhood: uncached p50 / cached p50", hoodRaw.p50(), hoodCached.p50());
            BenchRows.ratio("fact get: uncached p50 / cached p50", factRaw.p50(), factCached.p50());
            BenchRows.ratio("hybrid p50 / vector p50 (baseline)", hybrid.p50(), vector.p50());
            BenchRows.ratio("keyword p50 / vector p50 (baseline)", keyword.p50(), vector.p50());
            BenchRows.ratio("hybrid uncached p50 / hybrid cached p50", hybrid.p50(), hybridCached.p50());
            BenchRows.ratio(
                    "hybrid cached ops/s / vector uncached ops/s", hybridCached.opsPerSecond(), vector.opsPerSecond());
            System.out.printf(Locale.ROOT, "total %.1f s%n", (System.nanoTime() - started) / 1e9);
        } finally {
            stores.dropTenant(tenant);
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
}
