package dev.devloop.knowledge.bench;

import static dev.devloop.knowledge.bench.ProbeRuns.PASSWORD;
import static dev.devloop.knowledge.bench.ProbeRuns.URI;
import static dev.devloop.knowledge.bench.ProbeRuns.load;
import static dev.devloop.knowledge.bench.ProbeRuns.params;
import static dev.devloop.knowledge.bench.ProbeRuns.run;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.function.IntSupplier;
import org.junit.jupiter.api.Test;
import org.neo4j.driver.AuthTokens;
import org.neo4j.driver.Driver;
import org.neo4j.driver.GraphDatabase;
import org.neo4j.driver.Session;

/**
 * Stop 37: what an eventually consistent full-text index takes off a single document's write, with the driver alone
 * (no Quarkus, no embedding; not part of {@code verify}). Two probe labels, each with a full-text index of its own on
 * {@code [text, tenantToken]} like {@code devloop_chunk_fulltext}: one as today (refreshed at every commit), one with
 * {@code fulltext.eventually_consistent: true}. Per document (two chunks of ~600 characters, 384-d vectors), variants
 * alternating per document: the store-shaped write on each label; the eventually consistent write followed by
 * {@code db.index.fulltext.awaitEventuallyConsistentIndexRefresh()} (what a search pays when it waits for its own
 * tenant's write); that wait alone with nothing queued; and a keyword query on each index. Prints p50/p99 ms and the
 * load average. Deletes its nodes and indexes at the end.
 *
 * <p>{@code cd knowledge-service && ../mvnw -B -o test -Dtest=FulltextRefreshProbeBenchmark
 * -Dsurefire.failIfNoSpecifiedTests=false -Dbench.docs=80 [-Dbench.neo4j.uri=bolt://127.0.0.1:17687]}
 */
class FulltextRefreshProbeBenchmark {
    private static final int DOCS = Math.max(10, Math.min(1000, Integer.getInteger("bench.docs", 80)));
    private static final String AWAIT = "CALL db.index.fulltext.awaitEventuallyConsistentIndexRefresh()";

    private static String write(String label) {
        return "UNWIND $docs AS doc "
                + "CALL (doc) { MATCH (old:" + label + " {tenant: $tenant, documentId: doc.id}) DETACH DELETE old } "
                + "MERGE (d:Document {tenant: $tenant, id: doc.id}) SET d.title = doc.title, "
                + "d.chunkCount = doc.chunkCount, d.contentHash = doc.contentHash "
                + "WITH d, doc CALL (d, doc) { UNWIND doc.chunks AS row "
                + "CREATE (d)-[:HAS_CHUNK]->(c:" + label + " {tenant: $tenant, documentId: doc.id, index: row.index, "
                + "text: row.text, tenantToken: $tenantToken}) SET c.embedding = row.embedding } "
                + "RETURN count(*) AS written";
    }

    @Test
    void probe() {
        String run = UUID.randomUUID().toString().substring(0, 8);
        String tenant = "probe-ft-" + run;
        String ft = "ProbeFt_" + run;
        String ec = "ProbeEc_" + run;
        String ftIndex = "probe_ft_" + run;
        String ecIndex = "probe_ec_" + run;
        Random random = new Random(37);
        String[] names = {
            "write, consistent full-text",
            "write, eventually consistent",
            "write EC, then await refresh",
            "await refresh, nothing queued",
            "keyword, consistent index",
            "keyword, EC index",
            "EC: commit to visible, polled"
        };
        long[][] t = new long[names.length][DOCS];
        try (Driver driver = GraphDatabase.driver(URI, AuthTokens.basic("neo4j", PASSWORD))) {
            System.out.printf(
                    Locale.ROOT, "%n=== full-text refresh probe (%s, %d documents, load %s) ===%n", URI, DOCS, load());
            try (Session s = driver.session()) {
                s.run("CREATE FULLTEXT INDEX " + ftIndex + " IF NOT EXISTS FOR (c:" + ft
                                + ") ON EACH [c.text, c.tenantToken]")
                        .consume();
                s.run("CREATE FULLTEXT INDEX " + ecIndex + " IF NOT EXISTS FOR (c:" + ec
                                + ") ON EACH [c.text, c.tenantToken] "
                                + "OPTIONS {indexConfig: {`fulltext.eventually_consistent`: true}}")
                        .consume();
                s.run("CREATE INDEX probe_ft_doc_" + run + " IF NOT EXISTS FOR (c:" + ft
                                + ") ON (c.tenant, c.documentId)")
                        .consume();
                s.run("CREATE INDEX probe_ec_doc_" + run + " IF NOT EXISTS FOR (c:" + ec
                                + ") ON (c.tenant, c.documentId)")
                        .consume();
                s.run("CALL db.awaitIndexes(60)").consume();
                System.out.println("ft: "
                        + s.run(
                                        "SHOW FULLTEXT INDEXES YIELD name, options WHERE name IN $n "
                                                + "RETURN name, options.indexConfig AS config",
                                        Map.of("n", List.of(ftIndex, ecIndex)))
                                .list(r -> r.get("name").asString() + " "
                                        + r.get("config").asMap()));
                for (int w = 0; w < 10; w++) {
                    for (String label : new String[] {ft, ec}) {
                        s.executeWrite(tx -> tx.run(write(label), params(tenant, label + "w", random, "h"))
                                .consume());
                    }
                }
            }
            List<IntSupplier> variants = new ArrayList<>();
            int[] doc = new int[1];
            variants.add(() -> run(driver, true, write(ft), params(tenant, "f-" + doc[0], random, "h")));
            variants.add(() -> run(driver, true, write(ec), params(tenant, "e-" + doc[0], random, "h")));
            variants.add(() -> {
                run(driver, true, write(ec), params(tenant, "a-" + doc[0], random, "h"));
                return run(driver, false, AWAIT, Map.of());
            });
            variants.add(() -> run(driver, false, AWAIT, Map.of()));
            variants.add(() -> run(driver, false, keyword(ftIndex), Map.of("q", "+text:(partitions " + doc[0] + ")")));
            variants.add(() -> run(driver, false, keyword(ecIndex), Map.of("q", "+text:(partitions " + doc[0] + ")")));
            long[] polls = new long[DOCS];
            variants.add(() -> {
                String id = "v" + doc[0] + "z" + run;
                run(driver, true, write(ec), params(tenant, id, random, "h"));
                long t0 = System.nanoTime();
                int n = 0;
                while (count(driver, ecIndex, "+text:" + id) == 0) {
                    n++;
                    if (System.nanoTime() - t0 > 10_000_000_000L) {
                        throw new IllegalStateException("not visible after 10 s");
                    }
                }
                polls[doc[0]] = n;
                return 0;
            });
            ProbeRuns.alternate(variants, doc, t);
            ProbeRuns.printPercentiles("ft:", 32, names, t);
            System.out.printf(
                    Locale.ROOT,
                    "ft: (the last row includes the EC write; empty polls before visible: mean %.2f, max %d)%n",
                    Arrays.stream(polls).average().orElse(0),
                    Arrays.stream(polls).max().orElse(0));
            try (Session s = driver.session()) {
                s.run(AWAIT).consume();
                long found = s.run(
                                "CALL db.index.fulltext.queryNodes($index, 'tenantToken:tkprobe*') YIELD node "
                                        + "RETURN count(node) AS n",
                                Map.of("index", ecIndex))
                        .single()
                        .get("n")
                        .asLong();
                assertEquals(2L * (1 + 3L * DOCS), found, "after the wait every EC write is searchable");
            }
            System.out.printf(Locale.ROOT, "ft: load after %s%n", load());
        } finally {
            try (Driver driver = GraphDatabase.driver(URI, AuthTokens.basic("neo4j", PASSWORD));
                    Session s = driver.session()) {
                s.run(
                                "MATCH (n) WHERE n.tenant = $tenant CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 1000 ROWS",
                                Map.of("tenant", tenant))
                        .consume();
                for (String index : new String[] {ftIndex, ecIndex, "probe_ft_doc_" + run, "probe_ec_doc_" + run}) {
                    s.run("DROP INDEX " + index + " IF EXISTS").consume();
                }
            }
        }
    }

    private static String keyword(String index) {
        return "CALL db.index.fulltext.queryNodes('" + index + "', $q, {limit: 10}) YIELD node, score "
                + "RETURN node.documentId AS id, score";
    }

    private static long count(Driver driver, String index, String query) {
        try (Session s = driver.session()) {
            return s.run(
                            "CALL db.index.fulltext.queryNodes($index, $q) YIELD node RETURN count(node) AS n",
                            Map.of("index", index, "q", query))
                    .single()
                    .get("n")
                    .asLong();
        }
    }
}
