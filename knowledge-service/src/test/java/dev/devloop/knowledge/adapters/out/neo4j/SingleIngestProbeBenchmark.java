package dev.devloop.knowledge.adapters.out.neo4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.devloop.knowledge.application.DocumentLimits;
import dev.devloop.knowledge.application.DocumentService;
import dev.devloop.knowledge.domain.Document;
import dev.devloop.knowledge.domain.DocumentChunk;
import dev.devloop.knowledge.domain.IngestedDocument;
import dev.devloop.knowledge.domain.TextSplitter;
import dev.devloop.knowledge.ports.in.IngestDocumentCommand;
import dev.devloop.knowledge.ports.out.DocumentStorePort;
import dev.devloop.knowledge.ports.out.EmbeddingPort;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.neo4j.driver.Driver;
import org.neo4j.driver.Record;
import org.neo4j.driver.Result;
import org.neo4j.driver.Session;
import org.neo4j.driver.Transaction;
import org.neo4j.driver.async.AsyncSession;

/**
 * Where one single-document ingest's time goes on today's code (issue 16 goal 5, stop 39), not part of {@code verify}:
 * per document (the ingest bench's ~1 100 characters, two chunks), each stage timed apart on the real Neo4j and the
 * configured embedder: split + content hash; the stored-hash read on the async driver, its records and its session's
 * close (the RESET that releases the connection) timed apart; the chunks' embedding; the store's write statement as a
 * managed transaction split into BEGIN, RUN, PULL, COMMIT and the session's close (the path before stop 39), and as one
 * auto-commit statement ({@link Neo4jGraph#writeOnce}, stop 39), on two fresh tenants, alternating which goes first.
 * Then the use case whole ({@code DocumentService.ingest}) with the managed and with the auto-commit write, alternating
 * per document. Prints p50 / p99 ms and load averages;
 * asserts that the variants stored the same documents and chunks (not time).
 *
 * <pre>
 * ./mvnw -B -o -pl knowledge-service test -Dtest=SingleIngestProbeBenchmark -Dsurefire.failIfNoSpecifiedTests=false \
 *     -Dbench.docs=80   # add -Djvm=<JDK 25 java> for the services' runtime
 * </pre>
 */
@QuarkusTest
@TestProfile(SingleIngestProbeBenchmark.Quiet.class)
class SingleIngestProbeBenchmark {
    /** Service logs at WARN, no Kafka consumers (other builds' events on the shared broker are not timed here). */
    public static class Quiet implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            Map<String, String> overrides = new HashMap<>();
            overrides.put("quarkus.log.category.\"dev.devloop.knowledge\".level", "WARN");
            for (String channel : List.of("agent-lifecycle", "cache-invalidation", "forge-events", "knowledge-facts")) {
                overrides.put("mp.messaging.incoming." + channel + ".enabled", "false");
            }
            return overrides;
        }
    }

    private static final int DOCS = Math.max(10, Math.min(500, Integer.getInteger("bench.docs", 80)));
    private static final String HASHES = "UNWIND $ids AS id MATCH (d:Document {tenant: $tenant, id: id}) "
            + "RETURN d.id AS id, coalesce(d.contentHash, '') AS hash";
    private static final String[] STAGES = {
        "split + hash",
        "hash read: records",
        "hash read: + session close (RESET)",
        "embedding (2 chunks)",
        "managed write: BEGIN",
        "managed write: RUN",
        "managed write: PULL",
        "managed write: COMMIT",
        "managed write: session close",
        "managed write: total",
        "auto-commit write (writeOnce): total",
    };

    @Inject
    Neo4jDocumentStore store;

    @Inject
    Neo4jGraph graph;

    @Inject
    EmbeddingPort embeddings;

    @Inject
    Driver driver;

    @Inject
    DocumentLimits limits;

    @Test
    void probe() throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        String managed = "probe39-managed-" + run;
        String once = "probe39-once-" + run;
        TextSplitter splitter = new TextSplitter(800, 100);
        long[][] nanos = new long[STAGES.length][DOCS];
        try {
            for (int w = 0; w < 5; w++) {
                embeddings.embed("w", splitter.split(text(w)));
            }
            System.out.printf(
                    Locale.ROOT,
                    "%n=== single ingest probe (stop 39): %d documents, embedder %s, load %s ===%n",
                    DOCS,
                    embeddings.model(),
                    load());
            for (int d = 0; d < DOCS; d++) {
                String id = "doc-" + d;
                String text = text(d);
                long t0 = System.nanoTime();
                List<String> pieces = splitter.split(text);
                String hash = sha256(text);
                nanos[0][d] = System.nanoTime() - t0;
                hashRead(d % 2 == 0 ? managed : once, id, nanos, d);
                t0 = System.nanoTime();
                List<float[]> vectors = embeddings.embed(managed, pieces);
                nanos[3][d] = System.nanoTime() - t0;
                for (int k = 0; k < 2; k++) {
                    boolean managedFirst = d % 2 == 0;
                    if ((k == 0) == managedFirst) {
                        Map<String, Object> p =
                                store.replaceAllParameters(managed, List.of(doc(managed, id, pieces, vectors, hash)));
                        managedWrite(p, nanos, d);
                    } else {
                        Map<String, Object> p =
                                store.replaceAllParameters(once, List.of(doc(once, id, pieces, vectors, hash)));
                        long s = System.nanoTime();
                        List<Record> rows = graph.writeOnce(Neo4jDocumentStore.REPLACE_ALL, p, r -> r);
                        nanos[10][d] = System.nanoTime() - s;
                        assertEquals(1, rows.size());
                    }
                }
            }
            System.out.printf(Locale.ROOT, "%-40s %9s %9s%n", "stage (per document)", "p50 ms", "p99 ms");
            for (int s = 0; s < STAGES.length; s++) {
                System.out.printf(Locale.ROOT, "%-40s %9.2f %9.2f%n", STAGES[s], p(nanos[s], 0.5), p(nanos[s], 0.99));
            }
            System.out.printf(Locale.ROOT, "load after: %s%n", load());
            // both writes stored the same thing: the same documents, chunk counts and chunk texts
            assertEquals(stored(managed), stored(once));
            assertEquals(
                    DOCS * 2L,
                    stored(once).values().stream().mapToLong(List::size).sum());
            wholeUseCase(run);
        } finally {
            try (Session s = driver.session()) {
                s.run(
                                "MATCH (n) WHERE (n:Chunk OR n:Document) AND n.tenant STARTS WITH $p DETACH DELETE n",
                                Map.of("p", "probe39-"))
                        .consume();
            }
        }
    }

    /**
     * {@code DocumentService.ingest} whole, as the bench's single row calls it (the configured embedder), with the
     * managed write (before stop 39) and the auto-commit write, each on its own fresh tenant, alternating which goes
     * first per document. (Stop 39 also measured the chunks embedded concurrently on single-threaded runs: 1.31× and
     * 1.55× the p50 at load 20–23, 0.97× at load 6; not kept.)
     */
    private void wholeUseCase(String run) {
        String[] names = {"managed write (before)", "auto-commit write"};
        DocumentService[] services = new DocumentService[2];
        for (int v = 0; v < 2; v++) {
            services[v] = new DocumentService(writingWith(v == 1), embeddings, limits, java.time.Clock.systemUTC());
        }
        long[][] whole = new long[2][DOCS];
        System.out.printf(Locale.ROOT, "%n=== whole single ingest, alternating, load %s ===%n", load());
        for (int d = 0; d < DOCS; d++) {
            for (int k = 0; k < 2; k++) {
                int v = (d + k) % 2;
                String tenant = "probe39-whole" + v + "-" + run;
                IngestDocumentCommand c = new IngestDocumentCommand(
                        tenant, "doc-" + d, "Doc " + d, text(d), "text/plain", Map.of("team", "core"));
                long t0 = System.nanoTime();
                Document written = services[v].ingest(c);
                whole[v][d] = System.nanoTime() - t0;
                assertEquals(2, written.chunkCount());
            }
        }
        for (int v = 0; v < 2; v++) {
            long total = Arrays.stream(whole[v]).sum();
            System.out.printf(
                    Locale.ROOT,
                    "%-24s p50 %7.2f ms  p99 %7.2f ms  %5.1f documents/s  (%.2fx of the managed p50)%n",
                    names[v],
                    p(whole[v], 0.5),
                    p(whole[v], 0.99),
                    DOCS / (total / 1e9),
                    p(whole[v], 0.5) / p(whole[0], 0.5));
        }
        System.out.printf(Locale.ROOT, "load after: %s%n", load());
        assertEquals(stored("probe39-whole0-" + run), stored("probe39-whole1-" + run));
    }

    /** The store with its write as a managed transaction or one auto-commit statement; every other call as is. */
    private DocumentStorePort writingWith(boolean autoCommit) {
        return (DocumentStorePort) Proxy.newProxyInstance(
                DocumentStorePort.class.getClassLoader(), new Class<?>[] {DocumentStorePort.class}, (p, m, args) -> {
                    if (m.getName().equals("replaceAll") && args.length == 2) {
                        @SuppressWarnings("unchecked")
                        List<IngestedDocument> docs = (List<IngestedDocument>) args[1];
                        store.replaceAll((String) args[0], docs, autoCommit);
                        return null;
                    }
                    try {
                        return m.invoke(store, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    /** The async hash read: records in, then the session closed (what the caller waited for before stop 39). */
    private void hashRead(String tenant, String id, long[][] nanos, int d) {
        long t0 = System.nanoTime();
        AsyncSession session = driver.session(AsyncSession.class);
        CompletableFuture<List<Record>> rows = session.runAsync(HASHES, Map.of("tenant", tenant, "ids", List.of(id)))
                .thenCompose(c -> c.listAsync())
                .toCompletableFuture();
        rows.join();
        nanos[1][d] = System.nanoTime() - t0;
        session.closeAsync().toCompletableFuture().join();
        nanos[2][d] = System.nanoTime() - t0;
    }

    /** The store's statement in a managed-like transaction, each message's wait timed. */
    private void managedWrite(Map<String, Object> p, long[][] nanos, int d) {
        long t0 = System.nanoTime();
        Session session = driver.session();
        Transaction tx = session.beginTransaction();
        long t1 = System.nanoTime();
        Result result = tx.run(Neo4jDocumentStore.REPLACE_ALL, p);
        result.keys();
        long t2 = System.nanoTime();
        result.single();
        long t3 = System.nanoTime();
        tx.commit();
        long t4 = System.nanoTime();
        session.close();
        long t5 = System.nanoTime();
        nanos[4][d] = t1 - t0;
        nanos[5][d] = t2 - t1;
        nanos[6][d] = t3 - t2;
        nanos[7][d] = t4 - t3;
        nanos[8][d] = t5 - t4;
        nanos[9][d] = t5 - t0;
    }

    /** Per document id: its chunks' texts in order (what a search reads). */
    private Map<String, List<String>> stored(String tenant) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        try (Session s = driver.session()) {
            s.run(
                            "MATCH (d:Document {tenant: $t})-[:HAS_CHUNK]->(c:Chunk) WITH d, c ORDER BY d.id, c.index "
                                    + "RETURN d.id AS id, d.chunkCount AS n, collect(c.text) AS texts ORDER BY id",
                            Map.of("t", tenant))
                    .list()
                    .forEach(r -> {
                        List<String> texts = r.get("texts").asList(v -> v.asString());
                        assertEquals(r.get("n").asInt(), texts.size());
                        out.put(r.get("id").asString(), texts);
                    });
        }
        assertTrue(!out.isEmpty(), "nothing stored for " + tenant);
        return out;
    }

    private static IngestedDocument doc(String tenant, String id, List<String> pieces, List<float[]> v, String hash) {
        List<DocumentChunk> chunks = new ArrayList<>();
        for (int i = 0; i < pieces.size(); i++) {
            chunks.add(new DocumentChunk(i, pieces.get(i), v.get(i)));
        }
        Document document = new Document(
                tenant, id, "Probe " + id, "text/plain", Map.of("team", "core"), chunks.size(), 1, Instant.now());
        return new IngestedDocument(document, chunks, hash);
    }

    /** The ingest bench's document shape: ~1 100 characters, two chunks. */
    private static String text(int d) {
        StringBuilder text = new StringBuilder();
        for (int p = 0; p < 12; p++) {
            text.append("Kafka partitions keep per-key ordering while consumers in a group share the partitions ")
                    .append(d)
                    .append('.')
                    .append(p)
                    .append(p % 3 == 2 ? ".\n\n" : ". ");
        }
        return text.toString();
    }

    private static String sha256(String text) throws Exception {
        return java.util.HexFormat.of()
                .formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    }

    private static double p(long[] values, double q) {
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[(int) Math.min(sorted.length - 1, Math.ceil(sorted.length * q) - 1)] / 1e6;
    }

    private static String load() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (Exception e) {
            return "unknown";
        }
    }
}
