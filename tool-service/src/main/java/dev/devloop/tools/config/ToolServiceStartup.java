package dev.devloop.tools.config;

import dev.devloop.contracts.logging.LogFields;
import dev.devloop.tools.adapters.out.forge.local.LocalForge;
import dev.devloop.tools.ports.in.ManageToolsUseCase;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

/**
 * At start, after the MongoDB migrations (adapters.out.mongo.MongoMigrator, an earlier observer): upsert the shipped
 * tool set (idempotent across restarts) and cancel the local forge's checks the last stop interrupted.
 */
@ApplicationScoped
public class ToolServiceStartup {
    private static final Logger LOG = Logger.getLogger(ToolServiceStartup.class);
    private final ManageToolsUseCase tools;
    private final LocalForge forge;

    ToolServiceStartup(ManageToolsUseCase tools, LocalForge forge) {
        this.tools = tools;
        this.forge = forge;
    }

    void onStart(@Observes StartupEvent event) {
        int count = tools.loadShipped();
        LogFields.of("count", count).info(LOG, "shipped tools loaded");
        try {
            forge.cancelInterruptedChecks();
        } catch (RuntimeException e) {
            LogFields.of("error", e.toString())
                    .warn(LOG, "local forge: checks interrupted by the last stop could not be cancelled");
        }
    }
}
