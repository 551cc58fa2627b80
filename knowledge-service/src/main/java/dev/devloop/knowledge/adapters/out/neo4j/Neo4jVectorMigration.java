package dev.devloop.knowledge.adapters.out.neo4j;

import dev.devloop.knowledge.config.KnowledgeConfig;
import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.neo4j.driver.Record;

/**
 * Startup migration to per-tenant vectors ({@link Neo4jTenantVectors}): gives every existing chunk its tenant
 * label, every typed entity its tenant label and its {@code p_<key>} property copies (for property filters), then
 * creates the own vector index of every tenant already over the threshold (within the cap). Idempotent (it only
 * touches nodes still missing the label or carrying an older {@code derivedVersion}), in bounded batches of one
 * transaction each, in the background (startup is not held up; until it is done searches still route correctly,
 * only no tenant index is created). Done once per database: a {@code (:DevloopMigration {id})} node records it.
 */
@ApplicationScoped
public class Neo4jVectorMigration {
    static final String ID = "tenant-vectors-v1";
    private static final long RETRY_MILLIS = 10_000;

    private final Neo4jGraph graph;
    private final Neo4jTenantVectors vectors;
    private final Neo4jEntityGraph entities;
    private final int batch;
    private volatile Thread worker;
    private volatile boolean stopping;

    public Neo4jVectorMigration(
            Neo4jGraph graph, Neo4jTenantVectors vectors, Neo4jEntityGraph entities, KnowledgeConfig config) {
        this.graph = graph;
        this.vectors = vectors;
        this.entities = entities;
        this.batch = Math.max(1, config.search().migrationBatchSize());
    }

    void onStart(@Observes StartupEvent event) {
        Thread t = new Thread(this::runUntilDone, "neo4j-vector-migration");
        t.setDaemon(true);
        worker = t;
        t.start();
    }

    void onStop(@Observes ShutdownEvent event) {
        stopping = true;
        Thread t = worker;
        if (t != null) {
            t.interrupt();
        }
    }

    private void runUntilDone() {
        while (!stopping) {
            try {
                migrate();
                return;
            } catch (RuntimeException e) {
                Log.warnf(
                        "tenant vector migration not finished (retrying in %d s): %s",
                        RETRY_MILLIS / 1000, e.getMessage());
                try {
                    Thread.sleep(RETRY_MILLIS);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    /** Runs the migration (a no-op when it is recorded as done); returns the nodes it changed. */
    public synchronized long migrate() {
        boolean done =
                graph.read(tx -> tx.run("MATCH (m:DevloopMigration {id: $id}) RETURN count(m) AS n", Map.of("id", ID))
                                .single()
                                .get("n")
                                .asLong()
                        > 0);
        if (done) {
            vectors.labelled();
            return 0;
        }
        return migrateNow();
    }

    /** Runs every step whether or not the migration is recorded as done (they are idempotent). */
    public synchronized long migrateNow() {
        long changed = labelChunks() + deriveEntities();
        graph.write(tx -> tx.run("MERGE (m:DevloopMigration {id: $id}) SET m.doneAt = timestamp()", Map.of("id", ID))
                .consume());
        vectors.labelled();
        // tenants already due for their own index get it now (writes after this point create their own)
        for (Neo4jTenantVectors.Kind kind : Neo4jTenantVectors.Kind.values()) {
            for (String tenant : tenants(kind)) {
                vectors.afterWrite(kind, tenant);
            }
        }
        Log.infof("tenant vector migration done: %d nodes labelled or updated", changed);
        return changed;
    }

    private List<String> tenants(Neo4jTenantVectors.Kind kind) {
        String query = kind == Neo4jTenantVectors.Kind.CHUNK
                ? "MATCH (c:Chunk) WHERE c.tenant IS NOT NULL RETURN DISTINCT c.tenant AS t"
                : "MATCH (e:Entity) WHERE e.type IS NOT NULL AND e.tenant IS NOT NULL RETURN DISTINCT e.tenant AS t";
        List<String> found = graph.read(tx -> tx.run(query).list(r -> r.get("t").asString()));
        return new ArrayList<>(new TreeSet<String>(found));
    }

    private long labelChunks() {
        long total = 0;
        for (String tenant : tenants(Neo4jTenantVectors.Kind.CHUNK)) {
            String label = Neo4jTenantVectors.labelName(Neo4jTenantVectors.Kind.CHUNK, tenant);
            Map<String, Object> p = Map.of("tenant", tenant, "label", label, "batch", batch);
            long n;
            do {
                n = graph.writeBulk(tx -> tx.run(
                                "MATCH (c:Chunk {tenant: $tenant}) WHERE NOT $label IN labels(c) "
                                        + "WITH c LIMIT $batch SET c:"
                                        + Neo4jTenantVectors.label(Neo4jTenantVectors.Kind.CHUNK, tenant)
                                        + " RETURN count(c) AS n",
                                p)
                        .single()
                        .get("n")
                        .asLong());
                total += n;
            } while (n == batch && !stopping);
        }
        return total;
    }

    private long deriveEntities() {
        long total = 0;
        Map<String, Object> find = Map.of("version", Neo4jEntityGraph.DERIVED_VERSION, "batch", batch);
        while (!stopping) {
            List<Record> rows = graph.read(tx -> tx.run(
                            "MATCH (e:Entity) WHERE e.type IS NOT NULL "
                                    + "AND coalesce(e.derivedVersion, 0) < $version RETURN e.tenant AS tenant, e.id AS id, "
                                    + "e.properties AS properties LIMIT $batch",
                            find)
                    .list());
            if (rows.isEmpty()) {
                break;
            }
            List<Map<String, Object>> updates = new ArrayList<>(rows.size());
            for (Record r : rows) {
                String tenant = r.get("tenant").asString();
                String properties = r.get("properties").isNull()
                        ? "{}"
                        : r.get("properties").asString();
                Map<String, Object> derived;
                try {
                    derived = entities.derived(properties);
                } catch (IllegalArgumentException e) {
                    derived = Map.of();
                }
                updates.add(Map.of(
                        "tenant",
                        tenant,
                        "id",
                        r.get("id").asString(),
                        "label",
                        Neo4jTenantVectors.labelName(Neo4jTenantVectors.Kind.ENTITY, tenant),
                        "derived",
                        derived));
            }
            long n = graph.writeBulk(tx -> tx.run(
                            "UNWIND $rows AS r MATCH (e:Entity {tenant: r.tenant, id: r.id}) "
                                    + "WHERE coalesce(e.derivedVersion, 0) < $version SET e:$(r.label), e += r.derived, "
                                    + "e.derivedVersion = $version RETURN count(e) AS n",
                            Map.of("rows", updates, "version", Neo4jEntityGraph.DERIVED_VERSION))
                    .single()
                    .get("n")
                    .asLong());
            total += n;
            if (rows.size() < batch) {
                break;
            }
        }
        return total;
    }
}
