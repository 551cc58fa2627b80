package dev.devloop.agent.ports.out;

import dev.devloop.agent.domain.Handoff;
import java.util.Optional;

/** Outgoing persistence port for handoffs; every call is scoped to one tenant. */
public interface HandoffRepositoryPort {
    void save(Handoff handoff);

    Optional<Handoff> find(String tenant, String handoffId);
}
