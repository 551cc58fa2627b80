package dev.devloop.tools.ports.out;

import dev.devloop.tools.domain.ToolDefinition;
import java.util.List;
import java.util.Optional;

/** Outgoing persistence port for tool registrations (shipped ones and those a tenant registered). */
public interface ToolRegistryPort {
    /** The tool this tenant sees under {@code id}: its own registration or a shipped one. */
    Optional<ToolDefinition> find(String tenant, String id);

    /** Every enabled tool this tenant sees, shipped and own. */
    List<ToolDefinition> listEnabled(String tenant);

    /** Inserts or replaces the registration keyed by (scope, id). */
    void save(ToolDefinition tool);

    /**
     * Inserts or replaces each registration, as {@link #save} one after another would; a store may write them in
     * one round trip (the shipped set at start). Throws {@link DependencyUnavailableException} when the store cannot
     * be reached (nothing or everything may have been written; repeating it is harmless).
     */
    default void saveAll(List<ToolDefinition> tools) {
        tools.forEach(this::save);
    }

    /** How many tools this tenant registered itself. */
    long countOwned(String tenant);
}
