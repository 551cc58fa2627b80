package dev.devloop.agent.ports.out;

import dev.devloop.agent.domain.AgentDefinition;
import java.util.List;
import java.util.Optional;

/** Outgoing persistence port for the agent types a tenant registered; every call is scoped to one tenant. */
public interface AgentTypeRepositoryPort {
    /** Stores a new registration (and its first version in the history); false when the tenant already has one. */
    boolean insert(String tenant, AgentDefinition definition);

    /**
     * Replaces the registration whose stored version is {@code expectedVersion} with {@code definition}
     * (its next version, kept in the history too); false when there is none at that version.
     */
    boolean replace(String tenant, AgentDefinition definition, int expectedVersion);

    /** One stored version of a registration. */
    Optional<AgentDefinition> findVersion(String tenant, String type, int version);

    /** The stored versions of a registration, newest first, at most {@code limit}. */
    List<AgentDefinition> versions(String tenant, String type, int limit);

    /** Removes a registration; false when there was none. */
    boolean delete(String tenant, String type);

    Optional<AgentDefinition> find(String tenant, String type);

    /** The tenant's registrations in type order, at most {@code limit}. */
    List<AgentDefinition> list(String tenant, int limit);

    long count(String tenant);
}
