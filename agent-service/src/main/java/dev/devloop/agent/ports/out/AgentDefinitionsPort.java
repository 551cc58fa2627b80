package dev.devloop.agent.ports.out;

import dev.devloop.agent.domain.AgentDefinition;
import java.util.List;
import java.util.Optional;

/**
 * Outgoing port: the agent types a tenant can use — the shipped ones (visible to every tenant) and the
 * ones that tenant registered (visible only to it).
 */
public interface AgentDefinitionsPort {
    Optional<AgentDefinition> definition(String tenant, String type);

    /**
     * Version {@code version} of a type's definition (a run in flight keeps the version it started with);
     * empty when that version is not known any more.
     */
    default Optional<AgentDefinition> definition(String tenant, String type, int version) {
        return definition(tenant, type).filter(d -> d.version() == version);
    }

    /** The shipped types, then the tenant's registered ones. */
    List<AgentDefinition> definitions(String tenant);
}
