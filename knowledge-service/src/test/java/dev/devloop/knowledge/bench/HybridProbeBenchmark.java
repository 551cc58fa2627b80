package dev.devloop.knowledge.bench;

import dev.devloop.knowledge.application.DocumentService;
import dev.devloop.knowledge.domain.Fusion;
import dev.devloop.knowledge.domain.HybridRanking;
import dev.devloop.knowledge.domain.ScoredChunk;
import dev.devloop.knowledge.ports.in.IngestDocumentCommand;
import dev.devloop.knowledge.ports.out.DocumentStorePort;
import dev.devloop.knowledge.ports.out.EmbeddingPort;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.IntConsumer;
import org.junit.jupiter.api.Test;

/**
 * Not a test (its name keeps it out of {@code verify}): where a hybrid search's time goes, each way of ordering its
 * parts (query embedding, vector store call, keyword store call) timed in alternating blocks of ten calls on one
 * tenant of {@code bench.docs} documents. {@code -Dtest=HybridProbeBenchmark -Dbench.rounds=200}.
 */
@QuarkusTest
@TestProfile(SearchIngestBenchmark.Isolated.class)
class HybridProbeBenchmark {
    private static final int DOCS = Math.max(5, Math.min(500, Integer.getInteger("bench.docs", 50)));
    private static final int ROUNDS = Math.max(20, Math.min(5000, Integer.getInteger("bench.rounds", 200)));
    private static final int BLOCK = 10;
    private static final int CANDIDATES = 20;
    private static final String[] WORDS = ("kafka partition ordering consumer group redis key expiry eviction memory "
                    + "neo4j graph relationship path query circuit breaker failure probe dependency vector index nearest "
                    + "neighbour embedding cosine rate limit token bucket burst trace context header propagation")
            .split(" ");

    @Inject
    BenchStores stores;

    @Test
    void run() throws Exception {
        String tenant = "bench-probe-" + UUID.randomUUID().toString().substring(0, 8);
        DocumentStorePort store = stores.store;
        EmbeddingPort two = stores.embeddings;
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            DocumentService documents = new DocumentService(store, two, stores.documentLimits, Clock.systemUTC());
            for (int d = 0; d < DOCS; d++) {
                documents.ingest(new IngestDocumentCommand(
                        tenant, "doc-" + d, "Doc " + d, text(d), "text/plain", Map.of("n", d)));
            }
            Random random = new Random(7);
            Set<String> used = new HashSet<>();
            List<String> q = new ArrayList<>();
            for (int i = 0; i < 12 * ROUNDS + 100; i++) {
                q.add(query(random, used));
            }
            for (int i = 0; i < 20; i++) {
                two.embed(tenant, List.of(q.get(i)));
            }
            int[] next = {100};
            // the store-only variants ask with one of 50 fixed query vectors (embedded up front), each with a unique
            // keyword query
            List<float[]> fixed = two.embed(tenant, q.subList(0, 50));
            List<String> names = List.of(
                    "overlap: keyword on pool while embed, then vector",
                    "one statement: embed, then vector+keyword in one",
                    "store: vector+keyword in one statement",
                    "store: vector, then keyword (two statements)",
                    "store: vector || keyword (pool)",
                    "embed alone (2 threads)",
                    "store: vector alone",
                    "store: keyword alone");
            List<IntConsumer> timed = List.of(
                    i -> {
                        String s = q.get(next[0]++);
                        CompletableFuture<List<ScoredChunk>> k = CompletableFuture.supplyAsync(
                                () -> store.keyword(tenant, s, CANDIDATES, Map.of()), pool);
                        List<ScoredChunk> v = store.nearest(tenant, embed(two, tenant, s), CANDIDATES, Map.of());
                        fuse(v, k.join());
                    },
                    i -> {
                        String s = q.get(next[0]++);
                        DocumentStorePort.HybridCandidates both =
                                store.hybrid(tenant, embed(two, tenant, s), s, CANDIDATES, Map.of());
                        fuse(both.vector(), both.keyword());
                    },
                    i -> {
                        DocumentStorePort.HybridCandidates both =
                                store.hybrid(tenant, fixed.get(i % 50), q.get(next[0]++), CANDIDATES, Map.of());
                        fuse(both.vector(), both.keyword());
                    },
                    i -> fuse(
                            store.nearest(tenant, fixed.get(i % 50), CANDIDATES, Map.of()),
                            store.keyword(tenant, q.get(next[0]++), CANDIDATES, Map.of())),
                    i -> {
                        String s = q.get(next[0]++);
                        CompletableFuture<List<ScoredChunk>> k = CompletableFuture.supplyAsync(
                                () -> store.keyword(tenant, s, CANDIDATES, Map.of()), pool);
                        fuse(store.nearest(tenant, fixed.get(i % 50), CANDIDATES, Map.of()), k.join());
                    },
                    i -> embed(two, tenant, q.get(next[0]++)),
                    i -> store.nearest(tenant, fixed.get(i % 50), CANDIDATES, Map.of()),
                    i -> store.keyword(tenant, q.get(next[0]++), CANDIDATES, Map.of()));
            System.out.printf(Locale.ROOT, "%n=== hybrid probe, %d docs, load %s ===%n", DOCS, load());
            double[][] stats = interleaved(timed);
            for (int k = 0; k < names.size(); k++) {
                System.out.printf(
                        Locale.ROOT,
                        "probe %-56s p50 %7.2f ms  p99 %7.2f ms%n",
                        names.get(k),
                        stats[k][0],
                        stats[k][1]);
            }
            System.out.printf(Locale.ROOT, "probe load between: %s%n", load());
            // the bench row's question: the same two paths next to the LangChain4j baseline's hybrid (as in
            // SearchIngestBenchmark's hybrid row)
            SearchIngestBenchmark.LangChain4jEmbeddings lc4j = new SearchIngestBenchmark.LangChain4jEmbeddings(32);
            for (int i = 0; i < 10; i++) {
                lc4j.embed(tenant, List.of(q.get(i)));
            }
            double[][] mixed = interleaved(List.of(timed.get(0), timed.get(1), i -> {
                String s = q.get(next[0]++);
                List<ScoredChunk> v = store.nearest(tenant, embed(lc4j, tenant, s), CANDIDATES, Map.of());
                fuse(v, store.keyword(tenant, s, CANDIDATES, Map.of()));
            }));
            System.out.printf(
                    Locale.ROOT,
                    "probe B next to the LangChain4j hybrid: overlap p50 %7.2f ms, one statement %7.2f ms (lc4j %7.2f)%n",
                    mixed[0][0],
                    mixed[1][0],
                    mixed[2][0]);
            System.out.printf(Locale.ROOT, "probe load after: %s%n", load());
        } finally {
            pool.shutdownNow();
            stores.dropTenant(tenant);
        }
    }

    private static float[] embed(EmbeddingPort port, String tenant, String text) {
        return port.embed(tenant, List.of(text)).get(0);
    }

    private static void fuse(List<ScoredChunk> v, List<ScoredChunk> k) {
        HybridRanking.fuse(v, k, Fusion.WEIGHTED, 0.5, 0.5, 5);
    }

    private static double[][] interleaved(List<IntConsumer> ops) {
        long[][] times = new long[ops.size()][ROUNDS];
        for (int done = 0; done < ROUNDS; done += BLOCK) {
            for (int k = 0; k < ops.size(); k++) {
                for (int i = done; i < Math.min(ROUNDS, done + BLOCK); i++) {
                    long t0 = System.nanoTime();
                    ops.get(k).accept(i);
                    times[k][i] = System.nanoTime() - t0;
                }
            }
        }
        double[][] out = new double[ops.size()][];
        for (int k = 0; k < ops.size(); k++) {
            long[] s = Arrays.copyOf(times[k], ROUNDS);
            Arrays.sort(s);
            out[k] = new double[] {s[ROUNDS / 2] / 1e6, s[(int) Math.ceil(ROUNDS * 0.99) - 1] / 1e6};
        }
        return out;
    }

    private static String text(int d) {
        StringBuilder t = new StringBuilder();
        for (int p = 0; p < 24; p++) {
            t.append(WORDS[(d * 7 + p) % WORDS.length]).append(' ').append(WORDS[(d + p * 3) % WORDS.length]);
            t.append(" section ").append(d).append('.').append(p).append(p % 3 == 2 ? ".\n\n" : ". ");
        }
        return t.toString();
    }

    private static String query(Random random, Set<String> used) {
        while (true) {
            int n = 4 + random.nextInt(4);
            StringBuilder s = new StringBuilder();
            for (int i = 0; i < n; i++) {
                s.append(i == 0 ? "" : " ").append(WORDS[random.nextInt(WORDS.length)]);
            }
            if (used.add(s.toString())) {
                return s.toString();
            }
        }
    }

    private static String load() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (java.io.IOException e) {
            return "unknown";
        }
    }
}
