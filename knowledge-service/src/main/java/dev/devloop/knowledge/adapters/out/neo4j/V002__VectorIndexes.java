package dev.devloop.knowledge.adapters.out.neo4j;

import ac.simons.neo4j.migrations.core.JavaBasedMigration;
import ac.simons.neo4j.migrations.core.MigrationContext;
import ac.simons.neo4j.migrations.core.MigrationVersion;
import java.util.Optional;
import org.neo4j.driver.Session;

/**
 * V002 (named the way neo4j-migrations names Java migrations, so its version shows in the file name): the two shared vector indexes (chunks, entities), cosine, with the configured embedding dimensions (a
 * Cypher script cannot read configuration). Idempotent ({@code IF NOT EXISTS}). The dimensions are part of the
 * checksum: a store migrated with other dimensions is refused rather than silently searched with the wrong size.
 */
final class V002__VectorIndexes implements JavaBasedMigration {
    static final String VERSION = "002";
    private final int dimensions;

    V002__VectorIndexes(int dimensions) {
        this.dimensions = dimensions;
    }

    @Override
    public MigrationVersion getVersion() {
        return MigrationVersion.withValue(VERSION);
    }

    @Override
    public Optional<String> getOptionalDescription() {
        return Optional.of("vector indexes");
    }

    @Override
    public Optional<String> getChecksum() {
        return Optional.of("vector-indexes-cosine-" + dimensions);
    }

    @Override
    public void apply(MigrationContext context) {
        try (Session session = context.getSchemaSession()) {
            // the indexes of that version (V003 moves them to labels of their own and drops these)
            session.run(statement(V003__SharedVectorIndexes.LEGACY_CHUNK_INDEX, "Chunk", dimensions))
                    .consume();
            session.run(statement(V003__SharedVectorIndexes.LEGACY_ENTITY_INDEX, "Entity", dimensions))
                    .consume();
        }
    }

    static String statement(String name, String label, int dimensions) {
        return "CREATE VECTOR INDEX " + name + " IF NOT EXISTS FOR (x:" + label + ") ON (x.embedding) "
                + "OPTIONS {indexConfig: {`vector.dimensions`: " + dimensions
                + ", `vector.similarity_function`: 'cosine'}}";
    }
}
