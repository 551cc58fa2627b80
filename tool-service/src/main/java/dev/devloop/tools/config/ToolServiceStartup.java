package dev.devloop.tools.config;

import dev.devloop.tools.adapters.out.mongo.ToolStore;
import dev.devloop.tools.ports.in.ManageToolsUseCase;
import io.quarkus.logging.Log;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/** At start: create the MongoDB indexes, then upsert the shipped tool set (idempotent across restarts). */
@ApplicationScoped
public class ToolServiceStartup {
  private final ToolStore store;
  private final ManageToolsUseCase tools;

  ToolServiceStartup(ToolStore store, ManageToolsUseCase tools) {
    this.store = store;
    this.tools = tools;
  }

  void onStart(@Observes StartupEvent event) {
    store.ensureIndexes();
    int count = tools.loadShipped();
    Log.infof("shipped tools loaded count=%d", count);
  }
}
