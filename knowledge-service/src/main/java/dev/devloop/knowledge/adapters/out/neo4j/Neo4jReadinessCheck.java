package dev.devloop.knowledge.adapters.out.neo4j;

import dev.devloop.knowledge.adapters.out.ReadinessProbe;
import dev.devloop.knowledge.config.KnowledgeConfig;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;
import org.neo4j.driver.Driver;

/** Readiness of the long tier and the graph: migrations applied, then a bounded Neo4j connectivity check. */
@Readiness
@ApplicationScoped
public class Neo4jReadinessCheck implements HealthCheck {
    private final Driver driver;
    private final KnowledgeConfig config;
    private final Neo4jMigrator migrator;

    public Neo4jReadinessCheck(Driver driver, KnowledgeConfig config, Neo4jMigrator migrator) {
        this.driver = driver;
        this.config = config;
        this.migrator = migrator;
    }

    @Override
    public HealthCheckResponse call() {
        return ReadinessProbe.check(
                Neo4jGraph.STORE, config.stores().healthTimeout(), migrator.status(), driver::verifyConnectivity);
    }
}
