package dev.devloop.knowledge.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.devloop.knowledge.adapters.out.neo4j.Neo4jGraph;
import dev.devloop.knowledge.application.DocumentService;
import dev.devloop.knowledge.ports.in.IngestDocumentCommand;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.neo4j.driver.Driver;
import org.neo4j.driver.Session;

/**
 * Stop 37's end-to-end A/B (not part of {@code verify}): the single-document ingest use case ({@code DocumentService},
 * in-process int8 model, the store's write) with {@code devloop_chunk_fulltext} refreshed at every commit (as V001
 * makes it) against the same index eventually consistent, in alternating blocks of {@code bench.block} documents
 * (the index is dropped and created with the other setting between blocks, each mode on a tenant of its own), so both
 * modes see the same load. Each ingest is followed by a keyword search of a word of that document on the same tenant
 * (with an eventually consistent index this search may miss the document unless the store waits for the refresh:
 * the count is printed, not asserted), timed apart. Prints documents/s, p50/p99 per mode and the load average; leaves
 * the index as V001 creates it (refreshed at every commit) and deletes its tenants.
 *
 * <p>{@code cd knowledge-service && ../mvnw -B -o test -Dtest=FulltextIngestAbBenchmark
 * -Dsurefire.failIfNoSpecifiedTests=false -Dbench.blocks=8 -Dbench.block=10 [-Dbench.toggle=false]}
 */
@QuarkusTest
@TestProfile(SearchIngestBenchmark.Isolated.class)
class FulltextIngestAbBenchmark {
    private static final int BLOCKS = Math.max(2, Math.min(40, Integer.getInteger("bench.blocks", 8)));
    private static final int BLOCK = Math.max(2, Math.min(100, Integer.getInteger("bench.block", 10)));
    /** false: the index is left as it is (no schema change, so no emptied query cache) and every block is "consistent". */
    private static final boolean TOGGLE = Boolean.parseBoolean(System.getProperty("bench.toggle", "true"));

    @Inject
    BenchStores stores;

    @Inject
    Driver neo4j;

    @Test
    void ab() {
        String run = UUID.randomUUID().toString().substring(0, 8);
        String[] tenants = {"ab-ft-consistent-" + run, "ab-ft-eventual-" + run};
        String[] modes = {"consistent (V001)", "eventually consistent"};
        int[] missed = new int[2];
        DocumentService service =
                new DocumentService(stores.store, stores.embeddings, stores.documentLimits, Clock.systemUTC());
        int perMode = TOGGLE ? BLOCKS / 2 * BLOCK : BLOCKS * BLOCK;
        long[][] ingest = new long[2][perMode];
        long[][] search = new long[2][perMode];
        int[] done = new int[2];
        System.out.printf(
                Locale.ROOT,
                "%n=== full-text A/B, single ingest (%d blocks of %d documents, load %s) ===%n",
                BLOCKS,
                BLOCK,
                IngestProbeBenchmark.load());
        try {
            for (int w = 0; w < 5; w++) {
                stores.embeddings.embed(tenants[0], List.of("warm the model " + w));
            }
            for (int b = 0; b < BLOCKS; b++) {
                int mode = TOGGLE ? b % 2 : 0;
                if (TOGGLE) {
                    index(mode == 1);
                }
                for (int k = 0; k < 3; k++) { // warm-up writes after the index change, not timed
                    service.ingest(command(tenants[mode], "warm-" + b + "-" + k, 100_000 + 10 * b + k));
                }
                for (int i = 0; i < BLOCK; i++) {
                    int n = done[mode]++;
                    long t0 = System.nanoTime();
                    service.ingest(command(tenants[mode], "doc-" + n, n));
                    long t1 = System.nanoTime();
                    int hits = stores.store
                            .keyword(tenants[mode], word(n), 3, Map.of())
                            .size();
                    long t2 = System.nanoTime();
                    if (hits != 2) {
                        missed[mode]++;
                    }
                    ingest[mode][n] = t1 - t0;
                    search[mode][n] = t2 - t1;
                }
                System.out.printf(
                        Locale.ROOT, "ab: block %d %s done, load %s%n", b, modes[mode], IngestProbeBenchmark.load());
            }
            for (int m = 0; m < (TOGGLE ? 2 : 1); m++) {
                double seconds = Arrays.stream(ingest[m]).sum() / 1e9;
                System.out.printf(
                        Locale.ROOT,
                        "ab: %-30s ingest %5.1f documents/s, p50 %6.1f ms, p99 %6.1f ms | keyword search after it p50 %5.1f ms, p99 %6.1f ms, missed %d%n",
                        modes[m],
                        perMode / seconds,
                        pct(ingest[m], 0.5),
                        pct(ingest[m], 0.99),
                        pct(search[m], 0.5),
                        pct(search[m], 0.99),
                        missed[m]);
            }
            System.out.printf(Locale.ROOT, "ab: load after %s%n", IngestProbeBenchmark.load());
            if (TOGGLE) {
                assertEquals(0, missed[0], "with the consistent index every document is found right after its ingest");
            }
        } finally {
            if (TOGGLE) {
                index(false);
            }
            try (Session s = neo4j.session()) {
                s.run(
                                "MATCH (n) WHERE n.tenant IN $t CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 1000 ROWS",
                                Map.of("t", List.of(tenants)))
                        .consume();
            }
        }
    }

    /** The chunks' full-text index dropped and created again with the given consistency, then awaited ONLINE. */
    private void index(boolean eventual) {
        try (Session s = neo4j.session()) {
            s.run("DROP INDEX " + Neo4jGraph.CHUNK_TEXT_INDEX + " IF EXISTS").consume();
            s.run("CREATE FULLTEXT INDEX " + Neo4jGraph.CHUNK_TEXT_INDEX
                            + " FOR (c:Chunk) ON EACH [c.text, c.tenantToken] OPTIONS {indexConfig: "
                            + "{`fulltext.eventually_consistent`: " + eventual + "}}")
                    .consume();
            s.run("CALL db.awaitIndex($n, 120)", Map.of("n", Neo4jGraph.CHUNK_TEXT_INDEX))
                    .consume();
        }
    }

    private static String word(int n) {
        return "okapi" + n + "q";
    }

    /** ~1 100 characters, two chunks, with the document's own word in both. */
    private static IngestDocumentCommand command(String tenant, String id, int n) {
        String para = "Kafka partitions keep records of one key in order while " + word(n)
                + " consumers of a group share the partitions among them. ";
        String text = para.repeat(4) + "\n\n" + para.repeat(4);
        return new IngestDocumentCommand(tenant, id, "Doc " + id, text, "text/plain", Map.of("n", n));
    }

    private static double pct(long[] values, double q) {
        long[] s = values.clone();
        Arrays.sort(s);
        return s[Math.min(s.length - 1, (int) Math.ceil(s.length * q) - 1)] / 1e6;
    }
}
