package dev.devloop.knowledge.adapters.out.neo4j;

import ac.simons.neo4j.migrations.core.JavaBasedMigration;
import ac.simons.neo4j.migrations.core.MigrationContext;
import ac.simons.neo4j.migrations.core.MigrationVersion;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.neo4j.driver.Session;

/**
 * V003: the shared vector indexes move from {@code Chunk} / {@code Entity} to labels of their own ({@code SharedChunk}
 * / {@code SharedEntity}, same property, same dimensions), so that a write of a tenant that never reads them (below
 * {@code exact-scan-below}, or with its own index) pays no shared HNSW insert ({@link Neo4jTenantVectors}). Steps, each
 * idempotent: create the two new indexes and the index of the shared-route marker
 * {@code (:SharedVectorRoute {tenant, kind})}; route to the shared index every tenant that needs it (at or above
 * {@code exactScanBelow} vectors of a kind with no own index of that kind: the cap was reached) by giving it the marker
 * and its vectors the shared label (in transactions of 10 000); drop the old indexes. On an empty store only the
 * indexes and the key are created. The checksum holds the dimensions only (the threshold may change between starts;
 * the running service routes tenants that cross it later).
 */
final class V003__SharedVectorIndexes implements JavaBasedMigration {
    static final String VERSION = "003";
    /** The shared indexes of V002, on every chunk and every entity. */
    static final String LEGACY_CHUNK_INDEX = "devloop_chunk_embedding";

    static final String LEGACY_ENTITY_INDEX = "devloop_entity_embedding";

    private final int dimensions;
    private final int exactScanBelow;

    V003__SharedVectorIndexes(int dimensions, int exactScanBelow) {
        this.dimensions = dimensions;
        this.exactScanBelow = exactScanBelow;
    }

    @Override
    public MigrationVersion getVersion() {
        return MigrationVersion.withValue(VERSION);
    }

    @Override
    public Optional<String> getOptionalDescription() {
        return Optional.of("shared vector indexes on labels of their own");
    }

    @Override
    public Optional<String> getChecksum() {
        return Optional.of("shared-vector-indexes-cosine-" + dimensions);
    }

    @Override
    public void apply(MigrationContext context) {
        try (Session schema = context.getSchemaSession()) {
            for (Neo4jTenantVectors.Kind kind : Neo4jTenantVectors.Kind.values()) {
                schema.run(V002__VectorIndexes.statement(kind.sharedIndex, kind.sharedLabel, dimensions))
                        .consume();
            }
            // a plain index, not a unique constraint (see Neo4jTenantVectors.readShared)
            schema.run("CREATE INDEX devloop_shared_route IF NOT EXISTS FOR (m:" + Neo4jTenantVectors.SHARED_ROUTE
                            + ") ON (m.tenant, m.kind)")
                    .consume();
        }
        try (Session session = context.getSession()) {
            for (Neo4jTenantVectors.Kind kind : Neo4jTenantVectors.Kind.values()) {
                routeCapped(session, kind);
            }
        }
        try (Session schema = context.getSchemaSession()) {
            schema.run("DROP INDEX " + LEGACY_CHUNK_INDEX + " IF EXISTS").consume();
            schema.run("DROP INDEX " + LEGACY_ENTITY_INDEX + " IF EXISTS").consume();
        }
    }

    /** Marks and labels the tenants of {@code kind} at or above the threshold without an own index of that kind. */
    private void routeCapped(Session session, Neo4jTenantVectors.Kind kind) {
        Set<String> ownIndexes = new HashSet<>(session.run(
                        "SHOW VECTOR INDEXES YIELD name WHERE name STARTS WITH $prefix RETURN name",
                        Map.of("prefix", kind.indexPrefix))
                .list(r -> r.get("name").asString()));
        // counted as the route counts them: every chunk, every typed entity (each carries its tenant label)
        String vectors = kind == Neo4jTenantVectors.Kind.CHUNK
                ? "MATCH (x:Chunk) WHERE x.tenant IS NOT NULL"
                : "MATCH (x:Entity) WHERE x.type IS NOT NULL AND x.tenant IS NOT NULL";
        List<String> large = session.run(
                        vectors + " WITH x.tenant AS tenant, count(*) AS n WHERE n >= $below RETURN tenant",
                        Map.of("below", exactScanBelow))
                .list(r -> r.get("tenant").asString());
        for (String tenant : large) {
            if (ownIndexes.contains(Neo4jTenantVectors.indexName(kind, tenant))) {
                continue;
            }
            Map<String, Object> p = Map.of("tenant", tenant, "kind", kind.wire());
            session.run(
                            "MERGE (m:" + Neo4jTenantVectors.SHARED_ROUTE
                                    + " {tenant: $tenant, kind: $kind}) ON CREATE SET m.at = timestamp()",
                            p)
                    .consume();
            session.run(
                            vectors + " AND x.tenant = $tenant AND NOT x:" + kind.sharedLabel + " CALL (x) { SET x:"
                                    + kind.sharedLabel + " } IN TRANSACTIONS OF 10000 ROWS",
                            p)
                    .consume();
        }
    }
}
