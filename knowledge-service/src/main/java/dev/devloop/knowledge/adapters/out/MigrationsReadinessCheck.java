package dev.devloop.knowledge.adapters.out;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * {@code migrations}: DOWN while the stores' versioned migrations run in the background after the start (or cannot
 * run: a store unreachable, a migration failed or refused — the {@code neo4j}/{@code mongodb} checks carry the
 * reason), with each store's state; UP once they are applied and the Kafka consumers handle records.
 */
@Readiness
@ApplicationScoped
public class MigrationsReadinessCheck implements HealthCheck {
    private final StoreMigrations migrations;

    public MigrationsReadinessCheck(StoreMigrations migrations) {
        this.migrations = migrations;
    }

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder response =
                HealthCheckResponse.named("migrations").status(migrations.migrated());
        migrations.states().forEach(response::withData);
        return response.build();
    }
}
