package dev.devloop.tools.config;

import dev.devloop.tools.adapters.out.forge.local.LocalForge;
import dev.devloop.tools.ports.in.ManageToolsUseCase;
import io.quarkus.logging.Log;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * At start, after the MongoDB migrations (adapters.out.mongo.MongoMigrator, an earlier observer): upsert the shipped
 * tool set (idempotent across restarts) and cancel the local forge's checks the last stop interrupted.
 */
@ApplicationScoped
public class ToolServiceStartup {
    private final ManageToolsUseCase tools;
    private final LocalForge forge;

    ToolServiceStartup(ManageToolsUseCase tools, LocalForge forge) {
        this.tools = tools;
        this.forge = forge;
    }

    void onStart(@Observes StartupEvent event) {
        int count = tools.loadShipped();
        Log.infof("shipped tools loaded count=%d", count);
        try {
            forge.cancelInterruptedChecks();
        } catch (RuntimeException e) {
            Log.warnf("local forge: checks interrupted by the last stop could not be cancelled (%s)", e.toString());
        }
    }
}
