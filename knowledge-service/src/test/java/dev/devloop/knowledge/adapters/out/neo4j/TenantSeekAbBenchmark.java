package dev.devloop.knowledge.adapters.out.neo4j;

import static dev.devloop.knowledge.adapters.out.neo4j.NeoBenchSupport.alternate;
import static dev.devloop.knowledge.adapters.out.neo4j.NeoBenchSupport.detachDeleteInBatches;
import static dev.devloop.knowledge.adapters.out.neo4j.NeoBenchSupport.loads;
import static dev.devloop.knowledge.adapters.out.neo4j.NeoBenchSupport.profileHits;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.neo4j.driver.Driver;
import org.neo4j.driver.Record;
import org.neo4j.driver.Session;

/**
 * Stop 38, part 3 A/B (not a test: surefire's includes match {@code *Test}, so {@code verify} never runs it): the reads
 * of one tenant's data that were planned as a scan of every tenant's nodes or relationships (A, the statement before)
 * against the statement that seeks an index (B): the entity listing, the relationship listing's first page (any type
 * and one type), the fact listing and the milestone's done features. Driver only, against the shared Neo4j. A small
 * tenant (20 entities, 20 relationships, 10 facts, a milestone with 3 features) next to {@code bench.others} (default
 * 20 000) entities, relationships of the same type, facts and milestones of 100 other tenants. Each statement: A and B
 * alternating ({@code bench.rounds}, default 300, after 20 unreported), p50/p99, PROFILE db hits, same rows checked,
 * load averages (1/5/15 min) before and after. Everything it writes is deleted at the end.
 *
 * <pre>
 * ./mvnw -B -o -pl knowledge-service test -Dtest=TenantSeekAbBenchmark -Dsurefire.failIfNoSpecifiedTests=false \
 *     -Dbench.others=20000
 * </pre>
 */
class TenantSeekAbBenchmark {
    @Test
    void bench() throws Exception {
        int others = Integer.getInteger("bench.others", 20_000);
        int rounds = Integer.getInteger("bench.rounds", 300);
        String run = UUID.randomUUID().toString().substring(0, 8);
        String prefix = "tsab38-" + run + "-";
        String small = prefix + "small";
        try (Driver driver = NeoBenchSupport.driver();
                Session s = driver.session()) {
            try {
                System.out.printf(Locale.ROOT, "load before writing: %s%n", loads());
                write(s, small, 0, 0, "");
                for (int from = 0; from < others; from += 10_000) {
                    int to = Math.min(others, from + 10_000) - 1;
                    write(s, prefix + "o", from, to, "x");
                }
                s.run("CALL db.awaitIndexes(60)").consume();
                System.out.printf(
                        Locale.ROOT,
                        "small tenant: 20 entities / 20 OWNED_BY / 10 facts / 1 milestone; others: %d of each over 100 "
                                + "tenants (load %s)%n",
                        others,
                        loads());
                Map<String, Object> list = new HashMap<>(Map.of("tenant", small, "limit", 50));
                list.put("type", null);
                list.put("after", null);
                Map<String, Object> rel = Map.of("tenant", small, "limit", 50);
                Map<String, Object> fact =
                        Map.of("tenant", small, "entity", "svc-0", "now", System.currentTimeMillis(), "limit", 50);
                Map<String, Object> done = Map.of("t", small, "id", "m1", "max", 51);
                compare(s, "entity list", TenantSeekTest.OLD_ENTITY_LIST, Neo4jEntityGraph.LIST, list, rounds);
                for (String pattern : List.of("[r]", "[r:`OWNED_BY`]")) {
                    compare(
                            s,
                            "relationships " + pattern.replace("`", "") + " first page",
                            TenantSeekTest.oldRelationships(pattern, false),
                            Neo4jEntityGraph.relationshipsStatement(pattern, ""),
                            rel,
                            rounds);
                }
                compare(s, "fact list", TenantSeekTest.OLD_FACT_LIST, Neo4jFactStore.LIST, fact, rounds);
                compare(
                        s,
                        "milestone done features",
                        TenantSeekTest.OLD_DONE_FEATURES,
                        Neo4jRoadmapTx.DONE_FEATURES,
                        done,
                        rounds);
            } finally {
                for (String label : List.of("Fact", "Entity", "RoadmapNode")) {
                    detachDeleteInBatches(
                            s, "MATCH (n:" + label + ") WHERE n.tenant STARTS WITH $p", Map.of("p", prefix));
                }
                long left = s.run("MATCH (n) WHERE n.tenant STARTS WITH $p RETURN count(n) AS n", Map.of("p", prefix))
                        .single()
                        .get("n")
                        .asLong();
                System.out.printf(Locale.ROOT, "cleaned up: %d nodes of this run left%n", left);
                assertEquals(0, left, "nodes of this run left in Neo4j");
            }
        }
    }

    /**
     * Entities {@code svc-<i>} for i in [from, to] (or 0..n-1 for the small tenant), each {@code svc-<i>} OWNED_BY
     * {@code svc-<i+1>} of its tenant, a fact per entity (the small tenant: 10 on svc-0), a milestone → phase → module →
     * 3 features (2 done) per tenant. Other tenants' rows go to 100 tenants {@code <tenant>0..99}.
     */
    private static void write(Session s, String tenant, int from, int to, String many) {
        boolean small = many.isEmpty();
        Map<String, Object> p = Map.of("t", tenant, "from", from, "to", small ? to + 19 : to);
        String t = small ? "$t" : "$t + (i % 100)";
        s.executeWrite(tx -> tx.run(
                        "UNWIND range($from, $to) AS i WITH i, " + t + " AS tenant "
                                + "CREATE (e:Entity {tenant: tenant, id: 'svc-' + i, type: CASE WHEN i % 2 = 0 THEN "
                                + "'service' ELSE 'team' END, properties: '{}', updatedAt: 0})",
                        p)
                .consume());
        s.executeWrite(tx -> tx.run(
                        "UNWIND range($from, $to) AS i WITH i, " + t + " AS tenant "
                                + "MATCH (a:Entity {tenant: tenant, id: 'svc-' + i}), "
                                + "(b:Entity {tenant: tenant, id: 'svc-' + (i + 100)}) "
                                + "CREATE (a)-[:OWNED_BY {tenant: tenant, properties: '{}'}]->(b)",
                        p)
                .consume());
        if (small) {
            s.executeWrite(tx -> tx.run(
                            "MATCH (a:Entity {tenant: $t, id: 'svc-0'}) UNWIND range(1, 19) AS i "
                                    + "MATCH (b:Entity {tenant: $t, id: 'svc-' + i}) "
                                    + "CREATE (a)-[:OWNED_BY {tenant: $t, properties: '{}'}]->(b) "
                                    + "WITH DISTINCT a CREATE (a)-[:CALLS {tenant: $t, properties: '{}'}]->(a)",
                            p)
                    .consume());
        }
        s.executeWrite(tx -> tx.run(
                        "UNWIND range($from, " + (small ? "$from + 9" : "$to") + ") AS i WITH i, " + t + " AS tenant "
                                + "CREATE (:Fact {tenant: tenant, entity: " + (small ? "'svc-0'" : "'svc-' + i")
                                + ", attribute: 'a' + i, value: '1', updatedAt: 0})",
                        p)
                .consume());
        s.executeWrite(tx -> tx.run(
                        "UNWIND range($from, " + (small ? "$from" : "$to") + ") AS i WITH i, " + t + " AS tenant "
                                + "CREATE (m:RoadmapNode:Milestone {tenant: tenant, id: 'm' + (i + 1), name: 'm'}) "
                                + "CREATE (m)-[:CONTAINS]->(p:RoadmapNode:Phase {tenant: tenant, id: 'p' + i})"
                                + "-[:CONTAINS]->(o:RoadmapNode:Module {tenant: tenant, id: 'o' + i}) "
                                + "WITH tenant, i, o UNWIND range(1, 3) AS k "
                                + "CREATE (o)-[:CONTAINS]->(:RoadmapNode:Feature {tenant: tenant, id: 'f' + i + '-' + k, "
                                + "status: CASE WHEN k < 3 THEN 'done' ELSE 'planned' END})",
                        p)
                .consume());
    }

    private static void compare(Session s, String name, String a, String b, Map<String, Object> p, int rounds)
            throws Exception {
        String loadBefore = loads();
        NeoBenchSupport.Ab<List<String>> ab = alternate(
                rounds, isA -> s.executeRead(tx -> tx.run(isA ? a : b, p).list(TenantSeekAbBenchmark::row)));
        System.out.printf(
                Locale.ROOT,
                "| %s | A %s | B %s | rows %d, same: %s | load %s → %s |%n",
                name,
                ab.statsA(profileHits(s, a, p)),
                ab.statsB(profileHits(s, b, p)),
                ab.lastB().size(),
                ab.same(),
                loadBefore,
                loads());
        ab.requireSame(name);
        assertFalse(ab.lastB().isEmpty(), name + ": the comparison read no row");
    }

    private static String row(Record r) {
        return r.values().toString();
    }
}
