package dev.devloop.knowledge.adapters.out.neo4j;

import ac.simons.neo4j.migrations.core.JavaBasedMigration;
import ac.simons.neo4j.migrations.core.MigrationContext;
import ac.simons.neo4j.migrations.core.MigrationVersion;
import java.util.Map;
import java.util.Optional;
import org.neo4j.driver.Session;

/**
 * V004: every stored vector names the vector space that made it ({@value Neo4jTenantVectors#MODEL_PROPERTY}). The
 * chunks and entities with a vector but no model id (all of them before this version) are tagged with
 * {@code untaggedModel}, in transactions of 10 000: the model of the store's backend before model ids existed — the
 * fp32 {@code all-minilm-l6-v2} for {@code provider=local} (the only in-process model ever shipped as the default, and
 * the vectors of provider-gateway's twin the native build calls), or the configured gateway model's id otherwise. It is
 * deliberately not the model this start runs: an upgrade that also switches to the int8 model must not tag old fp32
 * vectors as int8 (they would then be compared with int8 queries and never re-embedded). Idempotent (only untagged
 * vectors are touched); the checksum does not hold the model, which is configuration and may change between starts.
 */
final class V004__EmbeddingModelIds implements JavaBasedMigration {
    static final String VERSION = "004";

    private final String untaggedModel;

    V004__EmbeddingModelIds(String untaggedModel) {
        this.untaggedModel = untaggedModel;
    }

    @Override
    public MigrationVersion getVersion() {
        return MigrationVersion.withValue(VERSION);
    }

    @Override
    public Optional<String> getOptionalDescription() {
        return Optional.of("embedding model id on every stored vector");
    }

    @Override
    public Optional<String> getChecksum() {
        return Optional.of("embedding-model-ids-1");
    }

    @Override
    public void apply(MigrationContext context) {
        try (Session session = context.getSession()) {
            for (String label : new String[] {"Chunk", "Entity"}) {
                session.run(
                                "MATCH (x:" + label + ") WHERE x.embedding IS NOT NULL AND x."
                                        + Neo4jTenantVectors.MODEL_PROPERTY + " IS NULL CALL (x) { SET x."
                                        + Neo4jTenantVectors.MODEL_PROPERTY
                                        + " = $model } IN TRANSACTIONS OF 10000 ROWS",
                                Map.of("model", untaggedModel))
                        .consume();
            }
        }
    }
}
