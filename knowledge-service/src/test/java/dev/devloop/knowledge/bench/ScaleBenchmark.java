package dev.devloop.knowledge.bench;

import dev.devloop.knowledge.adapters.out.neo4j.Neo4jGraph;
import dev.devloop.knowledge.adapters.out.neo4j.Neo4jTenantVectors;
import dev.devloop.knowledge.application.FactService;
import dev.devloop.knowledge.application.SearchService;
import dev.devloop.knowledge.config.KnowledgeConfig;
import dev.devloop.knowledge.domain.Document;
import dev.devloop.knowledge.domain.DocumentChunk;
import dev.devloop.knowledge.domain.ScoredChunk;
import dev.devloop.knowledge.ports.in.DocumentUseCase;
import dev.devloop.knowledge.ports.in.IngestDocumentCommand;
import dev.devloop.knowledge.ports.in.SearchCommand;
import dev.devloop.knowledge.ports.in.StoreFactCommand;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Not a test (its name keeps it out of {@code verify}): the scale benchmark of issue 3, on the real Redis,
 * MongoDB, Neo4j and the in-process embedding model, printing in one run
 * <ol>
 *   <li>fact write and read latency p50/p99 per tier (short = Redis, TTL &lt; 60 s; medium = MongoDB; long =
 *       Neo4j) through the real fact use case (reads both with the read cache off, so each read reaches its
 *       tier, and through the injected, cached use case);</li>
 *   <li>ingestion throughput in chunks/s through the real {@code DocumentService} (real embeddings) over a
 *       bounded corpus;</li>
 *   <li>search latency at each size of {@code bench.sizes} (default 10k and 100k chunks) for vector, keyword and
 *       hybrid, next to a brute-force cosine scan over the same vectors held in a Java {@code float[][]},
 *       measured in the same run. With {@code bench.data=variants} (default) {@code bench.realChunks} real corpus
 *       chunks are embedded with the model and the rest are variants of them (perturbed vectors, tagged texts)
 *       written by batched UNWINDs; with {@code random}, synthetic Gaussian vectors go through the store port.
 *       Embedding 100k texts with the real model would take far longer than the run's budget.</li>
 * </ol>
 * Run it with {@code ./mvnw -B -o -pl knowledge-service test -Dtest=ScaleBenchmark
 * -Dsurefire.failIfNoSpecifiedTests=false} (add {@code -Dbench.sizes=10000,100000}, {@code -Dbench.seedBudget=150}
 * seconds per size, {@code -Dbench.rounds=200}, {@code -Dbench.ingestChunks=200}). Seeding stops at the seed
 * budget and the size reached is printed, so one run stays bounded.
 */
@QuarkusTest
@TestProfile(KnowledgeBenchmark.Quiet.class)
class ScaleBenchmark {
    private static final int ROUNDS = Integer.getInteger("bench.rounds", 200);
    private static final long ROW_BUDGET_NANOS = 5_000_000_000L;
    private static final BenchRows ROWS = new BenchRows(ROUNDS, 10, ROW_BUDGET_NANOS, "%-44s %10.3f %10.3f %10.0f%n");
    private static final int FACT_KEYS = 50;
    private static final int INGEST_CHUNKS = Integer.getInteger("bench.ingestChunks", 200);
    private static final long SEED_BUDGET_NANOS = Long.getLong("bench.seedBudget", 150) * 1_000_000_000L;
    private static final int SEED_BATCH = 1000;
    private static final int K = 10;
    /** {@code variants} (default): real embedded corpus sentences and perturbed variants; {@code random}: Gaussian. */
    private static final String DATA = System.getProperty("bench.data", "variants");

    private static final int REAL_CHUNKS = Integer.getInteger("bench.realChunks", 256);

    @Inject
    FactService cachedFacts;

    @Inject
    DocumentUseCase documents;

    @Inject
    KnowledgeConfig config;

    @Inject
    BenchStores stores;

    @Inject
    Neo4jTenantVectors tenantVectors;

    @Test
    void run() {
        String tenant = "scale-" + UUID.randomUUID().toString().substring(0, 8);
        long started = System.nanoTime();
        System.out.println("\n=== knowledge-service scale benchmark (tenant " + tenant + ", up to " + ROUNDS
                + " timed calls or 5 s per row after warm-up) ===");
        try {
            // -Dbench.skip=facts,ingestion leaves those parts out (e.g. for a search-only comparison)
            String skip = System.getProperty("bench.skip", "");
            if (!skip.contains("facts")) {
                facts(tenant);
            }
            if (!skip.contains("ingestion")) {
                ingestion(tenant);
            }
            search(tenant);
            System.out.printf(Locale.ROOT, "%ntotal %.1f s%n", (System.nanoTime() - started) / 1e9);
        } finally {
            cleanUp(tenant);
        }
    }

    // ---------------------------------------------------------------- facts

    private void facts(String tenant) {
        System.out.println("\n-- facts: per tier, through the fact use case --");
        header();
        FactService uncached = stores.uncachedFacts();
        Object[][] tiers = {{"short", 50L}, {"medium", 3_600L}, {"long", null}};
        BenchRows.Stats[] writes = new BenchRows.Stats[3];
        BenchRows.Stats[] reads = new BenchRows.Stats[3];
        BenchRows.Stats[] cachedReads = new BenchRows.Stats[3];
        for (int t = 0; t < tiers.length; t++) {
            String tier = (String) tiers[t][0];
            Long ttl = (Long) tiers[t][1];
            for (int i = 0; i < FACT_KEYS; i++) {
                // every key exists before the timed rows (a slow write row may stop before reaching them all)
                cachedFacts.store(new StoreFactCommand(tenant, tier + "-" + i, "state", "{\"n\":" + i + "}", ttl));
            }
            writes[t] = ROWS.measure(
                    "write " + tier,
                    i -> cachedFacts.store(new StoreFactCommand(
                            tenant,
                            tier + "-" + (i % FACT_KEYS),
                            "state",
                            "{\"n\":" + i + ",\"healthy\":" + (i % 2 == 0) + "}",
                            ttl)));
            reads[t] = ROWS.measure(
                    "read " + tier + " (cache off)", i -> uncached.get(tenant, tier + "-" + (i % FACT_KEYS), "state"));
            cachedReads[t] = ROWS.measure(
                    "read " + tier + " (use case, cached)",
                    i -> cachedFacts.get(tenant, tier + "-" + (i % FACT_KEYS), "state"));
        }
        System.out.println("ratios (same run; short tier is the baseline)");
        for (int t = 1; t < tiers.length; t++) {
            BenchRows.ratio("write " + tiers[t][0] + " p50 / write short p50", writes[t].p50(), writes[0].p50());
            BenchRows.ratio(
                    "read " + tiers[t][0] + " p50 / read short p50 (cache off)", reads[t].p50(), reads[0].p50());
        }
        for (int t = 0; t < tiers.length; t++) {
            BenchRows.ratio(
                    "read " + tiers[t][0] + ": cache off p50 / cached p50", reads[t].p50(), cachedReads[t].p50());
        }
    }

    // ---------------------------------------------------------------- ingestion

    private void ingestion(String tenant) {
        System.out.println("\n-- ingestion: DocumentService (split, embed with the real model, store in Neo4j) --");
        Random random = new Random(7);
        int chunks = 0;
        int docs = 0;
        long embedNanos = 0;
        long begin = System.nanoTime();
        while (chunks < INGEST_CHUNKS) {
            // ~14 000 characters: about 20 chunks of the default 800 characters with 100 of overlap
            String text = prose(random, 2_000);
            Document d = documents.ingest(new IngestDocumentCommand(
                    tenant, "ingest-" + docs, "Ingest " + docs, text, "text/plain", Map.of("n", docs)));
            chunks += d.chunkCount();
            docs++;
        }
        double seconds = (System.nanoTime() - begin) / 1e9;
        // the embedding model alone on the same chunks' worth of text, for the share of ingestion it accounts for
        List<String> sample = new ArrayList<>();
        for (int i = 0; i < 32; i++) {
            sample.add(prose(new Random(100 + i), 110));
        }
        long e0 = System.nanoTime();
        stores.embeddings.embed(tenant, sample);
        embedNanos = System.nanoTime() - e0;
        double embedPerSecond = sample.size() / (embedNanos / 1e9);
        System.out.printf(
                Locale.ROOT,
                "ingested %d documents, %d chunks in %.1f s: %.1f chunks/s%n",
                docs,
                chunks,
                seconds,
                chunks / seconds);
        System.out.printf(
                Locale.ROOT, "embedding model alone (32 chunk-sized texts, one batch): %.1f texts/s%n", embedPerSecond);
        BenchRows.ratio("ingestion chunks/s / embedding-only texts/s", chunks / seconds, embedPerSecond);
    }

    // ---------------------------------------------------------------- search

    private void search(String tenant) {
        int dims = stores.embeddings.dimensions();
        int[] sizes = Arrays.stream(
                        System.getProperty("bench.sizes", "10000,100000").split(","))
                .map(String::strip)
                .mapToInt(Integer::parseInt)
                .sorted()
                .toArray();
        System.out.println("\n-- search (bench.data=" + DATA + "): "
                + ("random".equals(DATA)
                        ? "chunks seeded through the Neo4j store port (DocumentStorePort.replace) with synthetic text and synthetic "
                                + "normalised " + dims + "-d vectors"
                        : "real corpus chunks embedded with the model, plus variants (perturbed vectors, tagged texts) written by "
                                + "batched UNWINDs with the store's node shape")
                + "; the brute-force baseline and recall use the very same vectors --");
        String seedTenant = tenant + "-s";
        Random random = new Random(42);
        float[][] vectors = new float[sizes[sizes.length - 1]][];
        String[] keys = new String[vectors.length];
        int seeded = 0;
        int doc = 0;
        SearchService uncached = stores.uncachedSearch();
        boolean variants = !"random".equals(DATA);
        float[][] base = null;
        String[] baseTexts = null;
        if (variants) {
            long e0 = System.nanoTime();
            baseTexts = realTexts(REAL_CHUNKS);
            List<float[]> embedded = stores.embeddings.embed(seedTenant, Arrays.asList(baseTexts));
            base = embedded.toArray(new float[0][]);
            System.out.printf(
                    Locale.ROOT,
                    "embedded %d real chunk texts (sentences of the retrieval corpus) with the model in "
                            + "%.1f s; every seeded chunk is one of them or a variant: its vector perturbed (cosine ~0.9 to its base), "
                            + "its text with a variant tag%n",
                    base.length,
                    (System.nanoTime() - e0) / 1e9);
        }
        for (int size : sizes) {
            long begin = System.nanoTime();
            int before = seeded;
            while (seeded < size && System.nanoTime() - begin < SEED_BUDGET_NANOS) {
                int n = Math.min(SEED_BATCH, size - seeded);
                List<DocumentChunk> chunks = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    int at = seeded + i;
                    float[] v;
                    String text;
                    if (variants) {
                        int j = at % base.length;
                        v = at < base.length ? base[j] : perturb(random, base[j], 0.5);
                        text = baseTexts[j] + (at < base.length ? "" : " (variant " + at / base.length + ")");
                    } else {
                        v = unit(random, dims);
                        text = prose(random, 30);
                    }
                    vectors[at] = v;
                    keys[at] = "seed-" + doc + "#" + i;
                    chunks.add(new DocumentChunk(i, text, v));
                }
                if (variants) {
                    rawReplace(seedTenant, "seed-" + doc, chunks);
                } else {
                    stores.store.replace(
                            new Document(
                                    seedTenant,
                                    "seed-" + doc,
                                    "Seed " + doc,
                                    "text/plain",
                                    Map.of(),
                                    n,
                                    n * 200L,
                                    Instant.now()),
                            chunks);
                }
                seeded += n;
                doc++;
            }
            if (variants) {
                // the tenant's own vector index, as the write path creates it (here once, after the bulk load)
                tenantVectors.afterWrite(Neo4jTenantVectors.Kind.CHUNK, seedTenant);
                awaitTenantIndex(seedTenant, begin);
            }
            double seedSeconds = (System.nanoTime() - begin) / 1e9;
            System.out.printf(
                    Locale.ROOT,
                    "%nsize %d: seeded %d chunks in %.1f s (%.0f chunks/s)%s%n",
                    seeded,
                    seeded - before,
                    seedSeconds,
                    (seeded - before) / seedSeconds,
                    seeded < size ? " — SEED BUDGET HIT, measuring at " + seeded + " instead of " + size : "");
            measureAt(seedTenant, seeded, vectors, keys, random, dims, uncached);
            if (seeded < size) {
                break;
            }
        }
    }

    private void measureAt(
            String tenant, int n, float[][] vectors, String[] keys, Random random, int dims, SearchService uncached) {
        int queries = 64;
        float[][] q = new float[queries][];
        for (int i = 0; i < queries; i++) {
            // random directions; with variant data, perturbations of seeded vectors (queries near a cluster of
            // variants)
            q[i] = "random".equals(DATA)
                    ? unit(random, dims)
                    : perturb(random, vectors[random.nextInt(Math.min(n, REAL_CHUNKS))], 0.5);
        }
        header();
        BenchRows.Stats brute = ROWS.measure(
                "brute-force cosine, float[][] (k=" + K + ")", i -> bruteForce(vectors, n, q[i % queries], K));
        BenchRows.Stats port = ROWS.measure(
                "vector via store port (k=" + K + ")", i -> stores.store.nearest(tenant, q[i % queries], K, Map.of()));
        BenchRows.Stats scan =
                ROWS.measure("exact cosine scan in Neo4j (k=" + K + ")", i -> exactScan(tenant, q[i % queries]));
        // recall of the index against the exact scan, on the same query vectors
        int found = 0;
        int recallQueries = 20;
        for (int i = 0; i < recallQueries; i++) {
            Set<String> exact = new HashSet<>();
            for (int idx : bruteForce(vectors, n, q[i], K)) {
                exact.add(keys[idx]);
            }
            for (ScoredChunk hit : stores.store.nearest(tenant, q[i], K, Map.of())) {
                if (exact.contains(hit.key())) {
                    found++;
                }
            }
        }
        String[] words = new String[32];
        Random w = new Random(9);
        for (int i = 0; i < words.length; i++) {
            words[i] = word(w) + " " + word(w) + " " + word(w);
        }
        BenchRows.Stats keywordPort = ROWS.measure(
                "keyword via store port (k=" + K + ")",
                i -> stores.store.keyword(tenant, words[i % words.length], K, Map.of()));
        BenchRows.Stats vector = ROWS.measure(
                "vector, search use case",
                i -> uncached.search(
                        new SearchCommand(tenant, words[i % words.length], "vector", K, null, null, null, null)));
        BenchRows.Stats keyword = ROWS.measure(
                "keyword, search use case",
                i -> uncached.search(
                        new SearchCommand(tenant, words[i % words.length], "keyword", K, null, null, null, null)));
        BenchRows.Stats hybrid = ROWS.measure(
                "hybrid, search use case",
                i -> uncached.search(
                        new SearchCommand(tenant, words[i % words.length], "hybrid", K, null, null, null, null)));
        // how many of the index's first 10 x k candidates belong to the tenant, for synthetic and for real-text query
        // vectors: below k, Neo4jDocumentStore.nearest falls back to its exact scan
        List<float[]> textVectors =
                stores.embeddings.embed(tenant, Arrays.asList(words).subList(0, 8));
        System.out.printf(
                Locale.ROOT,
                "  %-46s %8.1f%n",
                "own chunks in index top " + (10 * K) + ", synthetic q",
                ownCandidates(tenant, Arrays.asList(q).subList(0, 8), 10 * K));
        System.out.printf(
                Locale.ROOT,
                "  %-46s %8.1f%n",
                "own chunks in index top " + (10 * K) + ", real-text q",
                ownCandidates(tenant, textVectors, 10 * K));
        System.out.printf(Locale.ROOT, "ratios at %d chunks (same run; brute-force cosine is the baseline)%n", n);
        BenchRows.ratio("vector port p50 / brute force p50", port.p50(), brute.p50());
        BenchRows.ratio("Neo4j exact scan p50 / brute force p50", scan.p50(), brute.p50());
        BenchRows.ratio("Neo4j exact scan p50 / vector port p50", scan.p50(), port.p50());
        BenchRows.ratio("keyword port p50 / brute force p50", keywordPort.p50(), brute.p50());
        BenchRows.ratio("vector use case p50 / brute force p50", vector.p50(), brute.p50());
        BenchRows.ratio("keyword use case p50 / brute force p50", keyword.p50(), brute.p50());
        BenchRows.ratio("hybrid use case p50 / brute force p50", hybrid.p50(), brute.p50());
        BenchRows.ratio("hybrid use case p50 / vector use case p50", hybrid.p50(), vector.p50());
        System.out.printf(
                Locale.ROOT,
                "  %-46s %8.3f%n",
                "vector index recall@" + K + " vs brute force",
                found / (double) (recallQueries * K));
    }

    /**
     * Writes one seed document and its chunks exactly as {@code Neo4jDocumentStore.replace} does (labels,
     * tenant token, properties), in one UNWIND, without asking for the tenant's index per batch.
     */
    private void rawReplace(String tenant, String id, List<DocumentChunk> chunks) {
        List<Map<String, Object>> rows = new ArrayList<>(chunks.size());
        for (DocumentChunk c : chunks) {
            List<Double> v = new ArrayList<>(c.embedding().length);
            for (float f : c.embedding()) {
                v.add((double) f);
            }
            rows.add(Map.of("index", c.index(), "text", c.text(), "embedding", v));
        }
        try (var session = stores.neo4j.session()) {
            session.executeWrite(tx -> tx.run(
                            "MERGE (d:Document {tenant: $tenant, id: $id}) SET d.title = $id, "
                                    + "d.contentType = 'text/plain', d.chunkCount = $n, d.characters = $n * 200, d.metadata = '{}', "
                                    + "d.updatedAt = timestamp() WITH d UNWIND $rows AS row "
                                    + "CREATE (d)-[:HAS_CHUNK]->(c:Chunk:"
                                    + Neo4jTenantVectors.label(Neo4jTenantVectors.Kind.CHUNK, tenant)
                                    + " {tenant: $tenant, documentId: $id, index: row.index, text: row.text, tenantToken: $token}) "
                                    + "SET c.embedding = row.embedding, c.embeddingModel = $model",
                            Map.of(
                                    "model",
                                    stores.embeddings.model(),
                                    "tenant",
                                    tenant,
                                    "id",
                                    id,
                                    "n",
                                    chunks.size(),
                                    "rows",
                                    rows,
                                    "token",
                                    "tk" + java.util.HexFormat.of().formatHex(sha256(tenant))))
                    .consume());
        }
    }

    private static byte[] sha256(String text) {
        try {
            return java.security.MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Waits (within the seed budget, at least 60 s) for the tenant's own index to be ONLINE; prints how long. */
    private void awaitTenantIndex(String tenant, long begin) {
        String name = Neo4jTenantVectors.indexName(Neo4jTenantVectors.Kind.CHUNK, tenant);
        long t0 = System.nanoTime();
        long seconds = Math.max(60, (SEED_BUDGET_NANOS - (System.nanoTime() - begin)) / 1_000_000_000L);
        try (var session = stores.neo4j.session()) {
            session.run("CALL db.awaitIndex($name, $s)", Map.of("name", name, "s", seconds))
                    .consume();
            System.out.printf(
                    Locale.ROOT, "tenant index %s ONLINE after %.1f s more%n", name, (System.nanoTime() - t0) / 1e9);
        } catch (RuntimeException e) {
            System.out.printf(
                    Locale.ROOT,
                    "tenant index %s NOT ONLINE within %d s (%s): searches use the fallback%n",
                    name,
                    seconds,
                    e.getMessage());
        }
    }

    /** Up to {@code max} real English texts: windows of 1–3 consecutive sentences of the retrieval corpus. */
    private static String[] realTexts(int max) {
        List<String> sentences = new ArrayList<>();
        try {
            java.nio.file.Path dir = java.nio.file.Path.of("src/test/resources/corpus");
            try (var files = java.nio.file.Files.list(dir)) {
                for (java.nio.file.Path f :
                        files.filter(x -> x.toString().endsWith(".md")).sorted().toList()) {
                    for (String sentence :
                            java.nio.file.Files.readString(f).replace('\n', ' ').split("(?<=[.!?])\\s+")) {
                        if (sentence.strip().length() > 20) {
                            sentences.add(sentence.strip());
                        }
                    }
                }
            }
        } catch (java.io.IOException e) {
            throw new IllegalStateException("the retrieval corpus is not readable", e);
        }
        List<String> out = new ArrayList<>();
        for (int w = 1; w <= 3 && out.size() < max; w++) {
            for (int i = 0; i + w <= sentences.size() && out.size() < max; i++) {
                out.add(String.join(" ", sentences.subList(i, i + w)));
            }
        }
        return out.toArray(new String[0]);
    }

    /** {@code base} plus Gaussian noise of total length {@code eps}, normalised (cosine to base ≈ 1/√(1+eps²)). */
    private static float[] perturb(Random random, float[] base, double eps) {
        float[] noise = unit(random, base.length);
        float[] v = new float[base.length];
        double norm = 0;
        for (int d = 0; d < v.length; d++) {
            v[d] = (float) (base[d] + eps * noise[d]);
            norm += v[d] * v[d];
        }
        float inv = (float) (1 / Math.sqrt(norm));
        for (int d = 0; d < v.length; d++) {
            v[d] *= inv;
        }
        return v;
    }

    /** Average number of the index's first {@code candidates} hits that belong to {@code tenant}. */
    private double ownCandidates(String tenant, List<float[]> queries, int candidates) {
        long own = 0;
        try (var session = stores.neo4j.session()) {
            for (float[] q : queries) {
                List<Double> v = new ArrayList<>(q.length);
                for (float f : q) {
                    v.add((double) f);
                }
                own += session.run(
                                "CALL db.index.vector.queryNodes('" + Neo4jGraph.CHUNK_VECTOR_INDEX + "', $k, $v) "
                                        + "YIELD node WHERE node.tenant = $t RETURN count(node) AS n",
                                Map.of("k", candidates, "v", v, "t", tenant))
                        .single()
                        .get("n")
                        .asLong();
            }
        }
        return own / (double) queries.size();
    }

    /** The exact cosine scan the store uses for small tenants, forced here at any size (for the threshold). */
    private void exactScan(String tenant, float[] q) {
        List<Double> v = new ArrayList<>(q.length);
        for (float f : q) {
            v.add((double) f);
        }
        try (var session = stores.neo4j.session()) {
            session.executeRead(tx -> tx.run(
                            "MATCH (c:Chunk {tenant: $t}) WITH c, vector.similarity.cosine(c.embedding, $v) "
                                    + "AS score RETURN c.documentId AS d, c.index AS i ORDER BY score DESC LIMIT $k",
                            Map.of("t", tenant, "v", v, "k", K))
                    .list());
        }
    }

    /** Indices of the {@code k} vectors among the first {@code n} with the highest cosine to {@code q}. */
    private static int[] bruteForce(float[][] vectors, int n, float[] q, int k) {
        int[] best = new int[k];
        double[] scores = new double[k];
        Arrays.fill(scores, Double.NEGATIVE_INFINITY);
        for (int i = 0; i < n; i++) {
            float[] v = vectors[i];
            double dot = 0;
            for (int d = 0; d < v.length; d++) {
                dot += v[d] * q[d];
            }
            // vectors are unit length, so the dot product is the cosine
            if (dot > scores[k - 1]) {
                int j = k - 1;
                while (j > 0 && scores[j - 1] < dot) {
                    scores[j] = scores[j - 1];
                    best[j] = best[j - 1];
                    j--;
                }
                scores[j] = dot;
                best[j] = i;
            }
        }
        return best;
    }

    // ---------------------------------------------------------------- helpers

    private void cleanUp(String tenant) {
        for (String tier : new String[] {"short", "medium", "long"}) {
            for (int i = 0; i < FACT_KEYS; i++) {
                try {
                    cachedFacts.delete(tenant, tier + "-" + i, "state");
                } catch (RuntimeException ignored) {
                    // absent (the short tier expires by itself)
                }
            }
        }
        long t0 = System.nanoTime();
        try (var session = stores.neo4j.session()) {
            for (String t : new String[] {tenant, tenant + "-s"}) {
                session.run(
                                "MATCH (c:Chunk {tenant: $t}) CALL { WITH c DETACH DELETE c } IN TRANSACTIONS OF 5000 ROWS",
                                Map.of("t", t))
                        .consume();
                session.run(
                                "MATCH (n) WHERE n.tenant = $t CALL { WITH n DETACH DELETE n } IN TRANSACTIONS OF 5000 ROWS",
                                Map.of("t", t))
                        .consume();
                for (Neo4jTenantVectors.Kind kind : Neo4jTenantVectors.Kind.values()) {
                    session.run("DROP INDEX `" + Neo4jTenantVectors.indexName(kind, t) + "` IF EXISTS")
                            .consume();
                }
            }
        }
        System.out.printf(Locale.ROOT, "cleaned up tenant %s in %.1f s%n", tenant, (System.nanoTime() - t0) / 1e9);
    }

    private static float[] unit(Random random, int dims) {
        float[] v = new float[dims];
        double norm = 0;
        for (int d = 0; d < dims; d++) {
            v[d] = (float) random.nextGaussian();
            norm += v[d] * v[d];
        }
        float inv = (float) (1 / Math.sqrt(norm));
        for (int d = 0; d < dims; d++) {
            v[d] *= inv;
        }
        return v;
    }

    private static final String[] SYLLABLES = {
        "ka", "lo", "mi", "ne", "ru", "sa", "to", "vi", "de", "po", "gu", "fe", "ba", "zi", "cho", "ren", "tal", "mor"
    };

    /** A pseudo-word from a vocabulary of about 5 800 (2 or 3 syllables, Zipf-ish skew towards short ones). */
    private static String word(Random random) {
        int syllables = random.nextInt(4) == 0 ? 3 : 2;
        StringBuilder w = new StringBuilder();
        for (int i = 0; i < syllables; i++) {
            w.append(SYLLABLES[random.nextInt(SYLLABLES.length)]);
        }
        return w.toString();
    }

    private static String prose(Random random, int words) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < words; i++) {
            text.append(word(random)).append(i % 12 == 11 ? ". " : " ");
            if (i % 120 == 119) {
                text.append("\n\n");
            }
        }
        return text.toString();
    }

    private static void header() {
        System.out.printf(Locale.ROOT, "%-44s %10s %10s %10s%n", "operation", "p50 ms", "p99 ms", "ops/s");
    }
}
