package dev.devloop.knowledge.adapters.out.neo4j;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.neo4j.driver.exceptions.ClientException;
import org.neo4j.driver.exceptions.ServiceUnavailableException;
import org.neo4j.driver.exceptions.TransientException;

/**
 * Which failures of a start-up migration are an unreachable or starved Neo4j (retried in the background until it
 * answers) and which are a failed migration (final, the service stays not ready with the reason).
 */
class Neo4jUnavailableTest {

    @Test
    void aStarvedConnectionPoolOrAnUnreachableServerIsRetried() {
        assertThat(Neo4jMigrations.unavailable(new ClientException(
                        "Unable to acquire connection from the pool within configured maximum time of 5000ms")))
                .isTrue();
        assertThat(Neo4jMigrations.unavailable(new ServiceUnavailableException("connection refused")))
                .isTrue();
        assertThat(Neo4jMigrations.unavailable(new TransientException(
                        "Neo.TransientError.General.DatabaseUnavailable", "database unavailable")))
                .isTrue();
        assertThat(Neo4jMigrations.unavailable(
                        new IllegalStateException("wrapped", new ServiceUnavailableException("gone"))))
                .isTrue();
    }

    @Test
    void aRefusedStatementIsAFailedMigration() {
        assertThat(Neo4jMigrations.unavailable(new ClientException(
                        "Neo.ClientError.Schema.ConstraintValidationFailed", "Node already exists with label `Task`")))
                .isFalse();
        assertThat(Neo4jMigrations.unavailable(new IllegalArgumentException("bad cypher")))
                .isFalse();
    }
}
