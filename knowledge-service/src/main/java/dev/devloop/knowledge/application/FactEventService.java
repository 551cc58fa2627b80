package dev.devloop.knowledge.application;

import dev.devloop.contracts.logging.LogFields;
import dev.devloop.knowledge.ports.in.ApplyFactWriteUseCase;
import dev.devloop.knowledge.ports.in.StoreFactCommand;
import dev.devloop.knowledge.ports.in.StoreFactUseCase;
import org.jboss.logging.Logger;

/** Applies asynchronous fact writes exactly like {@code PUT /facts}, de-duplicated by event id. */
public class FactEventService implements ApplyFactWriteUseCase {
    private static final Logger LOG = Logger.getLogger(FactEventService.class);

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
        String tenant = KnowledgeTenants.checked(command.tenant());
        boolean applied = once.applyOnce(CONSUMER, tenant, eventId, () -> store.store(command));
        if (!applied) {
            LogFields.of("tenant", tenant, "event", eventId).info(LOG, "fact event skipped as duplicate");
        }
        return applied;
    }
}
