package dev.devloop.knowledge.application;

import dev.devloop.contracts.Tenants;
import dev.devloop.knowledge.ports.in.ApplyFactWriteUseCase;
import dev.devloop.knowledge.ports.in.StoreFactCommand;
import dev.devloop.knowledge.ports.in.StoreFactUseCase;
import io.quarkus.logging.Log;

/** Applies asynchronous fact writes exactly like {@code PUT /facts}, de-duplicated by event id. */
public class FactEventService implements ApplyFactWriteUseCase {
    /** The consumer name under which processed fact-write events are remembered. */
    public static final String CONSUMER = "knowledge-facts";

    private final StoreFactUseCase store;
    private final EventDeduplicator once;

    public FactEventService(StoreFactUseCase store, EventDeduplicator once) {
        this.store = store;
        this.once = once;
    }

    @Override
    public boolean apply(String eventId, StoreFactCommand command) {
        String tenant = Tenants.require(command.tenant());
        boolean applied = once.applyOnce(CONSUMER, tenant, eventId, () -> store.store(command));
        if (!applied) {
            Log.infof("fact event skipped as duplicate tenant=%s event=%s", tenant, eventId);
        }
        return applied;
    }
}
