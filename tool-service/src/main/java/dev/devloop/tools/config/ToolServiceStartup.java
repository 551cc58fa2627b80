package dev.devloop.tools.config;

import dev.devloop.contracts.logging.LogFields;
import dev.devloop.tools.adapters.out.forge.local.LocalForge;
import dev.devloop.tools.ports.in.ManageToolsUseCase;
import dev.devloop.tools.ports.out.DependencyUnavailableException;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Duration;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;
import org.jboss.logging.Logger;

/**
 * At start, after the MongoDB migrations (adapters.out.mongo.MongoMigrator, an earlier observer): upsert the shipped
 * tool set (idempotent across restarts) and cancel the local forge's checks the last stop interrupted. A MongoDB that
 * is away does not fail the start: the upsert is retried in the background every {@code migrations.retry} and the
 * {@code shipped-tools} readiness check stays DOWN until it is stored. An invalid shipped set still fails the start.
 */
@Readiness
@ApplicationScoped
public class ToolServiceStartup implements HealthCheck {
    private static final Logger LOG = Logger.getLogger(ToolServiceStartup.class);
    private final ManageToolsUseCase tools;
    private final Runnable afterSeed;
    private final Duration retry;
    private volatile String pending = "the shipped tools are not stored yet";
    private volatile Thread worker;

    @Inject
    ToolServiceStartup(ManageToolsUseCase tools, LocalForge forge, ToolServiceConfig config) {
        this(tools, forge::cancelInterruptedChecks, config.migrations().retry());
    }

    ToolServiceStartup(ManageToolsUseCase tools, Runnable afterSeed, Duration retry) {
        this.tools = tools;
        this.afterSeed = afterSeed;
        this.retry = retry;
    }

    void onStart(@Observes StartupEvent event) {
        if (seed()) {
            return;
        }
        Thread t = new Thread(
                () -> {
                    while (!Thread.currentThread().isInterrupted() && !seed()) {
                        try {
                            Thread.sleep(retry.toMillis());
                        } catch (InterruptedException e) {
                            return;
                        }
                    }
                },
                "shipped-tools");
        t.setDaemon(true);
        worker = t;
        t.start();
    }

    void onStop(@Observes ShutdownEvent event) {
        Thread t = worker;
        if (t != null) {
            t.interrupt();
        }
    }

    /** One attempt: true once the shipped tools are stored (and the forge's interrupted checks handled). */
    boolean seed() {
        try {
            int count = tools.loadShipped();
            LogFields.of("count", count).info(LOG, "shipped tools loaded");
        } catch (DependencyUnavailableException e) {
            pending = e.dependency() + " unreachable, the shipped tools' upsert retried every " + retry.toSeconds()
                    + " s: " + e.getMessage();
            LogFields.of("error", e.getMessage()).warn(LOG, "shipped tools not stored yet; retried in the background");
            return false;
        }
        pending = null;
        try {
            afterSeed.run();
        } catch (RuntimeException e) {
            LogFields.of("error", e.toString())
                    .warn(LOG, "local forge: checks interrupted by the last stop could not be cancelled");
        }
        return true;
    }

    @Override
    public HealthCheckResponse call() {
        String reason = pending;
        return reason == null
                ? HealthCheckResponse.named("shipped-tools").up().build()
                : HealthCheckResponse.named("shipped-tools")
                        .down()
                        .withData("reason", reason)
                        .build();
    }
}
