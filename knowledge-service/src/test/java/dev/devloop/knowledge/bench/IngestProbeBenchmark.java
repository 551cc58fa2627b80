package dev.devloop.knowledge.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.devloop.knowledge.adapters.out.neo4j.Neo4jTenantVectors;
import dev.devloop.knowledge.application.DocumentService;
import dev.devloop.knowledge.domain.Document;
import dev.devloop.knowledge.domain.DocumentChunk;
import dev.devloop.knowledge.domain.IngestedDocument;
import dev.devloop.knowledge.domain.TextSplitter;
import dev.devloop.knowledge.ports.in.IngestDocumentCommand;
import dev.devloop.knowledge.ports.out.EmbeddingPort;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.neo4j.driver.Driver;
import org.neo4j.driver.Session;

/**
 * Where a single-document ingest's time goes (issue 16 goal 5, stop 30), not part of {@code verify}. Per document
 * (~1 100 characters, two chunks), on fresh tenants: the stages of {@code DocumentService.ingest} timed apart (split,
 * stored-hash read, embedding of the chunks in one call, the Neo4j write) next to the whole use case; then the write
 * decomposed with raw statements of the store's shape: without the embedding (no vector index update), on a label no
 * index covers (no full-text and no vector update), with the vector under a property no vector index covers (what a
 * write would cost if a small tenant's chunks stayed out of the shared vector index), a one-node write transaction
 * (the commit's floor), one statement in a managed transaction against the same as an auto-commit statement, and
 * (stop 31) the managed write with the chunks also labelled {@code SharedChunk}, in the shared vector index: what
 * every write paid before small tenants were kept out of it; and the store's own write for a tenant routed to the
 * shared index (its marker present: the chunks get {@code SharedChunk}) against the same write of an unrouted tenant.
 * Stop 34: the use case with the stored hash read before the embedding against the same with the read during it
 * (the in-process model stops early), each on its own tenant and then re-posted unchanged, alternating which goes first.
 * Alternating per document, so every variant sees the same load. Then documents/s of one client against
 * {@code bench.clients} (4) concurrent ones. Prints p50/p99 ms and the load average; asserts nothing about time.
 *
 * <p>{@code cd knowledge-service && ../mvnw -B -o test -Dtest=IngestProbeBenchmark -Dsurefire.failIfNoSpecifiedTests=false
 * -Dbench.docs=60 -Dbench.clients=4}
 */
@QuarkusTest
@TestProfile(SearchIngestBenchmark.Isolated.class)
class IngestProbeBenchmark {
    private static final int DOCS = Math.max(10, Math.min(500, Integer.getInteger("bench.docs", 60)));
    private static final int CLIENTS = Math.max(2, Math.min(16, Integer.getInteger("bench.clients", 4)));

    private final List<String> tenants = new ArrayList<>();

    @Inject
    BenchStores stores;

    @Inject
    Driver neo4j;

    @Test
    void probe() throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        String parts = "probe-parts-" + run;
        String whole = "probe-whole-" + run;
        String raw = "probe-raw-" + run;
        // stop 31: a tenant routed to the shared vector index (its marker, as the write that finds the cap reached
        // leaves it): the store's own write then labels the chunks SharedChunk (the shared HNSW insert every write paid
        // before), timed against the same write of the unrouted tenant, alternating which goes first
        String routed = "probe-routed-" + run;
        tenants.add(routed);
        TextSplitter splitter =
                new TextSplitter(stores.documentLimits.chunkSize(), stores.documentLimits.chunkOverlap());
        DocumentService service =
                new DocumentService(stores.store, stores.embeddings, stores.documentLimits, Clock.systemUTC());
        String[] names = {
            "split",
            "hash read",
            "embedding (1 call)",
            "store write",
            "sum of parts",
            "whole use case",
            "write, no embedding",
            "write, unindexed label",
            "one-node write tx",
            "write, managed tx",
            "write, auto-commit",
            "write, vector unindexed",
            "write, + shared index",
            "store write, routed shared",
            "use case, hash read first",
            "use case, hash ∥ embedding",
            "re-post, hash read first",
            "re-post, hash ∥ embedding"
        };
        long[][] t = new long[names.length][DOCS];
        String overlapTenant = "probe-overlap-" + run;
        String readFirstTenant = "probe-readfirst-" + run;
        tenants.add(overlapTenant);
        tenants.add(readFirstTenant);
        EmbeddingPort model = stores.embeddings;
        DocumentService readFirstService = new DocumentService(
                stores.store, new SearchIngestBenchmark.ReadFirst(model), stores.documentLimits, Clock.systemUTC());
        System.out.printf(Locale.ROOT, "%n=== ingest probe (%d documents, load %s) ===%n", DOCS, load());
        try {
            try (Session s = neo4j.session()) {
                s.run(
                                "MERGE (:" + Neo4jTenantVectors.SHARED_ROUTE + " {tenant: $t, kind: 'chunk'})",
                                Map.of("t", routed))
                        .consume();
            }
            for (int w = 0; w < 5; w++) {
                stores.embeddings.embed(parts, List.of("warm the model " + w));
            }
            for (int d = 0; d < DOCS; d++) {
                String text = document(d);
                String id = "doc-" + d;
                long t0 = System.nanoTime();
                List<String> pieces = splitter.split(text);
                long t1 = System.nanoTime();
                stores.store.contentHashes(parts, List.of(id));
                long t2 = System.nanoTime();
                List<float[]> vectors = stores.embeddings.embed(parts, pieces);
                long t3 = System.nanoTime();
                List<DocumentChunk> chunks = new ArrayList<>();
                for (int i = 0; i < pieces.size(); i++) {
                    chunks.add(new DocumentChunk(i, pieces.get(i), vectors.get(i)));
                }
                Document document = new Document(
                        parts,
                        id,
                        "Doc " + d,
                        "text/plain",
                        Map.of("n", d),
                        chunks.size(),
                        text.length(),
                        Instant.now());
                boolean routedFirst = d % 2 == 1;
                if (routedFirst) {
                    t[13][d] = routedWrite(routed, document, chunks, d);
                }
                long t3b = System.nanoTime();
                stores.store.replaceAll(parts, List.of(new IngestedDocument(document, chunks, "h" + d)));
                long t4 = System.nanoTime();
                if (!routedFirst) {
                    t[13][d] = routedWrite(routed, document, chunks, d);
                }
                t[0][d] = t1 - t0;
                t[1][d] = t2 - t1;
                t[2][d] = t3 - t2;
                t[3][d] = t4 - t3b;
                t[4][d] = (t3 - t0) + (t4 - t3b);
                long t5 = System.nanoTime();
                service.ingest(new IngestDocumentCommand(whole, id, "Doc " + d, text, "text/plain", Map.of("n", d)));
                t[5][d] = System.nanoTime() - t5;
                // stop 34: the use case with the stored hash read before the embedding (an embedder that cannot stop
                // early) against the same with the read during it, alternating which goes first; then both re-posted
                boolean overlapFirst = d % 2 == 0;
                for (int k = 0; k < 2; k++) {
                    boolean overlap = (k == 0) == overlapFirst;
                    DocumentService use = overlap ? service : readFirstService;
                    String tenant = overlap ? overlapTenant : readFirstTenant;
                    long u0 = System.nanoTime();
                    use.ingest(new IngestDocumentCommand(tenant, id, "Doc " + d, text, "text/plain", Map.of("n", d)));
                    long u1 = System.nanoTime();
                    use.ingest(new IngestDocumentCommand(tenant, id, "Doc " + d, text, "text/plain", Map.of("n", d)));
                    long u2 = System.nanoTime();
                    t[overlap ? 15 : 14][d] = u1 - u0;
                    t[overlap ? 17 : 16][d] = u2 - u1;
                }
                t[6][d] = rawWrite(raw, id + "-nv", "Chunk", pieces, null, false);
                t[7][d] = rawWrite(raw, id + "-nl", "ProbeChunk", pieces, vectors, false);
                t[11][d] = rawWrite(raw, id + "-vu", "Chunk", pieces, vectors, false, "vec");
                // stop 31's lever: the same managed write with the chunks also in the shared vector index (what every
                // write paid before V003; now only a tenant routed to the shared index does)
                t[12][d] = rawWrite(raw, id + "-sh", "Chunk:SharedChunk", pieces, vectors, false);
                boolean autoFirst = d % 2 == 0; // alternate which runs first
                t[autoFirst ? 10 : 9][d] = rawWrite(raw, id + "-a", "Chunk", pieces, vectors, autoFirst);
                t[autoFirst ? 9 : 10][d] = rawWrite(raw, id + "-b", "Chunk", pieces, vectors, !autoFirst);
                long t8 = System.nanoTime();
                try (Session s = neo4j.session()) {
                    s.executeWrite(tx -> tx.run(
                                    "MERGE (n:ProbeNode {tenant: $t, id: $id}) SET n.at = $at",
                                    Map.of("t", raw, "id", id, "at", System.nanoTime()))
                            .consume());
                }
                t[8][d] = System.nanoTime() - t8;
            }
            List<String> ids = new ArrayList<>();
            for (int d = 0; d < DOCS; d++) {
                ids.add("doc-" + d);
            }
            // the timed paths stored what they were timed on (a probe of writes that failed would time nothing)
            assertEquals(DOCS, stores.store.contentHashes(parts, ids).size(), "documents written stage by stage");
            assertEquals(DOCS, stores.store.contentHashes(whole, ids).size(), "documents written by the use case");
            try (Session s = neo4j.session()) {
                var labels = s.run(
                                "MATCH (c:Chunk) WHERE c.tenant IN [$routed, $parts] RETURN c.tenant = $routed AS routed, "
                                        + "count(c) AS n, sum(CASE WHEN c:SharedChunk THEN 1 ELSE 0 END) AS shared "
                                        + "ORDER BY routed",
                                Map.of("routed", routed, "parts", parts))
                        .list();
                assertEquals(0L, labels.get(0).get("shared").asLong(), "the unrouted tenant's chunks: none shared");
                assertEquals(
                        labels.get(1).get("n").asLong(),
                        labels.get(1).get("shared").asLong(),
                        "the routed tenant's chunks: all in the shared index");
            }
            for (int k = 0; k < names.length; k++) {
                long[] s = t[k].clone();
                Arrays.sort(s);
                System.out.printf(
                        Locale.ROOT,
                        "probe: %-24s p50 %7.2f ms  p99 %7.2f ms%n",
                        names[k],
                        s[s.length / 2] / 1e6,
                        s[Math.min(s.length - 1, (int) Math.ceil(s.length * 0.99) - 1)] / 1e6);
            }
            concurrent(service, run);
            System.out.printf(Locale.ROOT, "probe: load after %s%n", load());
        } finally {
            stores.dropTenant(parts);
            stores.dropTenant(whole);
            stores.dropTenant(raw);
            tenants.forEach(stores::dropTenant);
        }
    }

    /**
     * Whether concurrent single POSTs already share Neo4j's commits: groups of {@link #CLIENTS} documents through the
     * use case one after the other (one client) and then the same group from {@link #CLIENTS} threads at once, fresh
     * tenants, alternating per group; documents/s of each.
     */
    private void concurrent(DocumentService service, String run) throws Exception {
        String one = "probe-one-" + run;
        String many = "probe-many-" + run;
        tenants.add(one);
        tenants.add(many);
        ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
        long sequential = 0;
        long parallel = 0;
        try {
            for (int from = 0; from + CLIENTS <= DOCS; from += CLIENTS) {
                int first = from;
                long t0 = System.nanoTime();
                for (int d = first; d < first + CLIENTS; d++) {
                    service.ingest(command(one, d));
                }
                long t1 = System.nanoTime();
                List<Future<?>> pending = new ArrayList<>();
                for (int d = first; d < first + CLIENTS; d++) {
                    int doc = d;
                    pending.add(clients.submit(() -> service.ingest(command(many, doc))));
                }
                for (Future<?> f : pending) {
                    f.get();
                }
                long t2 = System.nanoTime();
                sequential += t1 - t0;
                parallel += t2 - t1;
            }
        } finally {
            clients.shutdownNow();
        }
        int n = DOCS / CLIENTS * CLIENTS;
        System.out.printf(
                Locale.ROOT,
                "probe: documents/s, 1 client %.1f, %d clients %.1f (ratio %.2f)%n",
                n / (sequential / 1e9),
                CLIENTS,
                n / (parallel / 1e9),
                (double) sequential / parallel);
    }

    /** The store's write of the document for the tenant routed to the shared index, timed. */
    private long routedWrite(String tenant, Document document, List<DocumentChunk> chunks, int d) {
        Document mine = new Document(
                tenant,
                document.id(),
                document.title(),
                document.contentType(),
                document.metadata(),
                document.chunkCount(),
                document.characters(),
                document.updatedAt());
        long t0 = System.nanoTime();
        stores.store.replaceAll(tenant, List.of(new IngestedDocument(mine, chunks, "h" + d)));
        return System.nanoTime() - t0;
    }

    private static IngestDocumentCommand command(String tenant, int d) {
        return new IngestDocumentCommand(tenant, "doc-" + d, "Doc " + d, document(d), "text/plain", Map.of("n", d));
    }

    /**
     * A write of the store's shape for one document with {@code label} on the chunks, timed: no vector when null, in a
     * managed transaction (BEGIN, RUN+PULL, COMMIT) or as one auto-commit statement.
     */
    private long rawWrite(
            String tenant, String id, String label, List<String> pieces, List<float[]> vectors, boolean autoCommit) {
        return rawWrite(tenant, id, label, pieces, vectors, autoCommit, "embedding");
    }

    /** As above, the vector stored under {@code vectorProperty} ({@code vec}: a property no vector index covers). */
    private long rawWrite(
            String tenant,
            String id,
            String label,
            List<String> pieces,
            List<float[]> vectors,
            boolean autoCommit,
            String vectorProperty) {
        List<Map<String, Object>> rows = new ArrayList<>();
        for (int i = 0; i < pieces.size(); i++) {
            Map<String, Object> row = new HashMap<>();
            row.put("index", i);
            row.put("text", pieces.get(i));
            if (vectors != null) {
                List<Double> v = new ArrayList<>();
                for (float f : vectors.get(i)) {
                    v.add((double) f);
                }
                row.put("embedding", v);
            }
            rows.add(row);
        }
        Map<String, Object> p = Map.of("tenant", tenant, "id", id, "rows", rows, "token", "tkprobe");
        String statement = "MERGE (d:Document {tenant: $tenant, id: $id}) SET d.title = $id "
                + "WITH d UNWIND $rows AS row CREATE (d)-[:HAS_CHUNK]->(c:" + label
                + " {tenant: $tenant, documentId: $id, index: row.index, text: row.text, "
                + "tenantToken: $token}) SET c." + vectorProperty + " = row.embedding";
        long t0 = System.nanoTime();
        try (Session s = neo4j.session()) {
            if (autoCommit) {
                s.run(statement, p).consume();
            } else {
                s.executeWrite(tx -> tx.run(statement, p).consume());
            }
        }
        return System.nanoTime() - t0;
    }

    private static String document(int d) {
        return document(d, 12);
    }

    /** The probe's document, {@code paragraphs} sentences long (12: two chunks); shared with the embedding probe. */
    static String document(int d, int paragraphs) {
        StringBuilder text = new StringBuilder();
        for (int p = 0; p < paragraphs; p++) {
            text.append("Kafka partitions keep per-key ordering while consumers in a group share the partitions ")
                    .append(d)
                    .append('.')
                    .append(p)
                    .append(p % 3 == 2 ? ".\n\n" : ". ");
        }
        return text.toString();
    }

    static String load() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (Exception e) {
            return "unknown";
        }
    }
}
