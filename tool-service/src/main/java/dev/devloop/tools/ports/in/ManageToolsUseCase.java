package dev.devloop.tools.ports.in;

import dev.devloop.tools.domain.ToolDefinition;

/** Incoming port: register, read and disable tools, and load the shipped set. */
public interface ManageToolsUseCase {
    /** Registers or updates a tenant's tool; {@code created} tells which. */
    record Registration(ToolDefinition tool, boolean created) {}

    Registration register(RegisterToolCommand command);

    ToolDefinition get(String tenant, String id);

    ToolDefinition disable(String tenant, String id);

    /** Upserts the shipped set; returns how many tools it holds. */
    int loadShipped();
}
