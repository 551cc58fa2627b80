package dev.devloop.knowledge.bench;

import static dev.devloop.knowledge.bench.ProbeRuns.PASSWORD;
import static dev.devloop.knowledge.bench.ProbeRuns.URI;
import static dev.devloop.knowledge.bench.ProbeRuns.load;
import static dev.devloop.knowledge.bench.ProbeRuns.params;
import static dev.devloop.knowledge.bench.ProbeRuns.run;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
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
import org.neo4j.driver.summary.ProfiledPlan;
import org.neo4j.driver.summary.ResultSummary;

/**
 * Stop 34: where a single document's Neo4j write goes, with the driver alone (no Quarkus, no embedding; not part of
 * {@code verify}). Per document (two chunks of ~600 characters, 384-d unit vectors), alternating the variants'
 * order per document so every variant sees the same load: a round trip ({@code RETURN 1} auto-commit, and in a read
 * transaction), the commit floor (a one-node write transaction), the store's stored-hash read, and the store's write
 * statement on chunks whose label no index covers, on {@code :Chunk} with the text under a property the full-text
 * index does not cover (range indexes only), the store's own shape (full-text + range indexes: what a small tenant's
 * write pays), the same also labelled {@code SharedChunk} (the shared HNSW insert), the same with a label that has a
 * vector index of its own (a tenant index's insert); then the round-trip variants: hash read + write as today (an
 * auto-commit read, then a managed write transaction), both statements in one managed transaction, and one statement
 * that reads the hash and writes only when it differs. Prints p50/p99 ms, the load average and the store
 * statement's PROFILE (db hits per operator). Asserts only that the writes happened. Points at
 * {@code -Dbench.neo4j.uri} (default {@code DEVLOOP_NEO4J_URI}, else bolt://127.0.0.1:7687); deletes its tenants'
 * nodes and its probe index at the end.
 *
 * <p>{@code cd knowledge-service && ../mvnw -B -o test -Dtest=WriteSplitProbeBenchmark
 * -Dsurefire.failIfNoSpecifiedTests=false -Dbench.docs=80 [-Dbench.neo4j.uri=bolt://127.0.0.1:17687]}
 */
class WriteSplitProbeBenchmark {
    private static final int DOCS = Math.max(10, Math.min(1000, Integer.getInteger("bench.docs", 80)));

    /** The store's chunk write (Neo4jDocumentStore.replaceAll for one document), with the chunk labels as a hole. */
    private static String write(String labels, String textProperty) {
        return write(labels, textProperty, "tenantToken");
    }

    /** As above, the tenant token under {@code tokenProperty} ({@code tk}: the full-text index misses the chunk). */
    private static String write(String labels, String textProperty, String tokenProperty) {
        return "OPTIONAL MATCH (route:SharedVectorRoute {tenant: $tenant, kind: 'chunk'}) "
                + "WITH count(route) > 0 AS shared UNWIND $docs AS doc "
                + "CALL (doc) { MATCH (old:Chunk {tenant: $tenant, documentId: doc.id}) DETACH DELETE old } "
                + "MERGE (d:Document {tenant: $tenant, id: doc.id}) SET d.title = doc.title, "
                + "d.chunkCount = doc.chunkCount, d.contentHash = doc.contentHash "
                + "WITH d, doc, shared CALL (d, doc, shared) { UNWIND doc.chunks AS row "
                + "CREATE (d)-[:HAS_CHUNK]->(c:" + labels + " {tenant: $tenant, documentId: doc.id, index: row.index, "
                + textProperty + ": row.text, " + tokenProperty + ": $tenantToken}) SET c.embedding = row.embedding } "
                + "WITH shared, count(*) AS written RETURN written";
    }

    private static final String HASH_READ = "UNWIND $ids AS id MATCH (d:Document {tenant: $tenant, id: id}) "
            + "RETURN d.id AS id, coalesce(d.contentHash, '') AS hash";

    @Test
    void probe() {
        String run = UUID.randomUUID().toString().substring(0, 8);
        String tenant = "probe-split-" + run;
        String ownLabel = "ProbeOwnIndex_" + run;
        String ownIndex = "probe_own_" + run;
        Random random = new Random(34);
        String[] names = {
            "RETURN 1, auto-commit",
            "RETURN 1, read tx",
            "one-node write tx (floor)",
            "hash read (auto-commit)",
            "write, unindexed label",
            "write, :Chunk, no full-text",
            "write, :Chunk (store's)",
            "write, + SharedChunk",
            "write, + own vector index",
            "read, then write tx (now)",
            "read + write in one tx",
            "one conditional statement"
        };
        long[][] t = new long[names.length][DOCS];
        try (Driver driver = GraphDatabase.driver(URI, AuthTokens.basic("neo4j", PASSWORD))) {
            System.out.printf(
                    Locale.ROOT, "%n=== write split probe (%s, %d documents, load %s) ===%n", URI, DOCS, load());
            try (Session s = driver.session()) {
                s.run(
                                "CREATE VECTOR INDEX " + ownIndex + " IF NOT EXISTS FOR (x:" + ownLabel
                                        + ") ON (x.embedding) "
                                        + "OPTIONS {indexConfig: {`vector.dimensions`: 384, `vector.similarity_function`: 'cosine'}}")
                        .consume();
                s.run("CALL db.awaitIndex('" + ownIndex + "', 60)").consume();
                for (int w = 0; w < 10; w++) {
                    s.executeWrite(tx -> tx.run(write("Chunk", "text"), params(tenant, "warm", random, "w"))
                            .consume());
                }
            }
            List<IntSupplier> variants = new ArrayList<>();
            int[] doc = new int[1];
            variants.add(() -> run(driver, false, "RETURN 1", Map.of()));
            variants.add(() -> readTx(driver));
            variants.add(() -> run(
                    driver,
                    true,
                    "MERGE (n:ProbeNode {tenant: $tenant, id: $id}) SET n.at = timestamp()",
                    Map.of("tenant", tenant, "id", "n" + doc[0])));
            variants.add(() -> run(driver, false, HASH_READ, Map.of("tenant", tenant, "ids", List.of("s-" + doc[0]))));
            variants.add(
                    () -> run(driver, true, write("ProbeChunk", "text"), params(tenant, "u-" + doc[0], random, "h")));
            variants.add(
                    () -> run(driver, true, write("Chunk", "body", "tk"), params(tenant, "b-" + doc[0], random, "h")));
            variants.add(() -> run(driver, true, write("Chunk", "text"), params(tenant, "s-" + doc[0], random, "h")));
            variants.add(() ->
                    run(driver, true, write("Chunk:SharedChunk", "text"), params(tenant, "sh-" + doc[0], random, "h")));
            variants.add(() ->
                    run(driver, true, write("Chunk:" + ownLabel, "text"), params(tenant, "o-" + doc[0], random, "h")));
            variants.add(() -> {
                Map<String, Object> p = params(tenant, "r-" + doc[0], random, "h");
                try (Session s = driver.session()) {
                    s.run(HASH_READ, Map.of("tenant", tenant, "ids", List.of("r-" + doc[0])))
                            .list();
                }
                try (Session s = driver.session()) {
                    s.executeWrite(tx -> tx.run(write("Chunk", "text"), p).consume());
                }
                return 0;
            });
            variants.add(() -> {
                Map<String, Object> p = params(tenant, "t-" + doc[0], random, "h");
                try (Session s = driver.session()) {
                    s.executeWrite(tx -> {
                        tx.run(HASH_READ, Map.of("tenant", tenant, "ids", List.of("t-" + doc[0])))
                                .list();
                        return tx.run(write("Chunk", "text"), p).consume();
                    });
                }
                return 0;
            });
            variants.add(() -> {
                Map<String, Object> p = params(tenant, "c-" + doc[0], random, "h");
                String conditional = "OPTIONAL MATCH (x:Document {tenant: $tenant, id: $docs[0].id}) "
                        + "WITH x WHERE x IS NULL OR coalesce(x.contentHash, '') <> $docs[0].contentHash "
                        + write("Chunk", "text");
                try (Session s = driver.session()) {
                    s.executeWrite(tx -> tx.run(conditional, p).consume());
                }
                return 0;
            });
            ProbeRuns.alternate(variants, doc, t);
            ProbeRuns.printPercentiles("split:", 28, names, t);
            try (Session s = driver.session()) {
                long chunks = s.run(
                                "MATCH (c:Chunk {tenant: $tenant}) WHERE c.documentId STARTS WITH 's-' RETURN count(c) AS n",
                                Map.of("tenant", tenant))
                        .single()
                        .get("n")
                        .asLong();
                assertEquals(2L * DOCS, chunks, "the store-shaped writes stored two chunks per document");
                ResultSummary summary = s.executeWrite(
                        tx -> tx.run("PROFILE " + write("Chunk", "text"), params(tenant, "p-profile", random, "h"))
                                .consume());
                ProfiledPlan plan = summary.profile();
                System.out.printf(Locale.ROOT, "split: PROFILE of the store's write: %d db hits in all%n", hits(plan));
                print(plan, 0);
            }
            System.out.printf(Locale.ROOT, "split: load after %s%n", load());
        } finally {
            try (Driver driver = GraphDatabase.driver(URI, AuthTokens.basic("neo4j", PASSWORD));
                    Session s = driver.session()) {
                s.run(
                                "MATCH (n) WHERE n.tenant = $tenant CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 1000 ROWS",
                                Map.of("tenant", tenant))
                        .consume();
                s.run("DROP INDEX " + ownIndex + " IF EXISTS").consume();
            }
        }
    }

    private static int readTx(Driver driver) {
        try (Session s = driver.session()) {
            s.executeRead(tx -> tx.run("RETURN 1").list());
        }
        return 0;
    }

    private static long hits(ProfiledPlan plan) {
        long n = plan.dbHits();
        for (ProfiledPlan child : plan.children()) {
            n += hits(child);
        }
        return n;
    }

    private static void print(ProfiledPlan plan, int depth) {
        System.out.printf(
                Locale.ROOT,
                "split:   %s%s db hits %d rows %d%n",
                "  ".repeat(depth),
                plan.operatorType(),
                plan.dbHits(),
                plan.records());
        for (ProfiledPlan child : plan.children()) {
            print(child, depth + 1);
        }
    }
}
