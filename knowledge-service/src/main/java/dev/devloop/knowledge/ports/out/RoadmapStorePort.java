package dev.devloop.knowledge.ports.out;

import java.util.function.Function;

/**
 * The roadmap graph store. Work runs inside one transaction scoped to a tenant: a write transaction first takes
 * the tenant's roadmap lock, so the checks a use case makes (existence, transitions, cycles) hold when it writes,
 * and the events it emits are stored in the same transaction (an outbox). The work may be re-run on a transient
 * failure, so it must only talk to the store.
 */
public interface RoadmapStorePort {
    <T> T read(String tenant, Function<RoadmapTx, T> work);

    /** {@code bulk}: the longer transaction timeout (imports). */
    <T> T write(String tenant, boolean bulk, Function<RoadmapTx, T> work);
}
