package dev.devloop.agent.ports.in;

import dev.devloop.agent.domain.AgentDefinition;
import java.util.List;
import java.util.Optional;

/**
 * Incoming port: the agent types a tenant sees (shipped + its own registrations) and registering,
 * updating and removing its own.
 */
public interface ManageAgentTypesUseCase {
    List<AgentDefinition> list(String tenant);

    Optional<AgentDefinition> find(String tenant, String type);

    boolean isShipped(String type);

    /** Registers a new type for the tenant as its version 1 (400 invalid, 409 taken); {@code changedBy} may be null. */
    AgentDefinition register(String tenant, AgentTypeCommand command, String changedBy);

    /**
     * Writes the next version of the tenant's registration of {@code type} (404 unknown, 409 shipped or
     * changed concurrently); the next run of any agent of the type uses it, runs in flight keep theirs.
     */
    AgentDefinition update(String tenant, String type, AgentTypeCommand command, String changedBy);

    /** The stored versions of a type, newest first (a shipped type: its one version 0; 404 unknown). */
    List<AgentDefinition> versions(String tenant, String type, int limit);

    /** Removes the tenant's registration (404 unknown; 409 shipped, referenced, or agents of it live). */
    void delete(String tenant, String type);
}
