package dev.devloop.knowledge.adapters.out;

import dev.devloop.migrations.MigrationStatus;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.eclipse.microprofile.health.HealthCheckResponse;

/** Runs one dependency probe with a hard time bound, so a hung store reports DOWN quickly. */
public final class ReadinessProbe {

    /** UP when the probe returns within {@code timeout}; DOWN with the reason otherwise. */
    public static HealthCheckResponse check(String name, Duration timeout, Runnable probe) {
        CompletableFuture<Void> run = CompletableFuture.runAsync(probe, Infrastructure.getDefaultWorkerPool());
        try {
            run.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return HealthCheckResponse.up(name);
        } catch (TimeoutException e) {
            run.cancel(true);
            return HealthCheckResponse.named(name)
                    .down()
                    .withData("error", "no answer within " + timeout)
                    .build();
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            return HealthCheckResponse.named(name)
                    .down()
                    .withData("error", cause.getClass().getSimpleName() + ": " + cause.getMessage())
                    .build();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return HealthCheckResponse.named(name)
                    .down()
                    .withData("error", "interrupted")
                    .build();
        }
    }

    /** DOWN with the migration state, version and reason unless the store's migrations are applied; else the probe. */
    public static HealthCheckResponse check(String name, Duration timeout, MigrationStatus migrations, Runnable probe) {
        if (!migrations.ready()) {
            return HealthCheckResponse.named(name)
                    .down()
                    .withData("migrations", migrations.state().name().toLowerCase(java.util.Locale.ROOT))
                    .withData("version", migrations.version())
                    .withData("error", migrations.reason())
                    .build();
        }
        return check(name, timeout, probe);
    }

    private ReadinessProbe() {}
}
