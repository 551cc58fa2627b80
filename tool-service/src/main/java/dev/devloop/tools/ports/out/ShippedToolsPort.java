package dev.devloop.tools.ports.out;

import dev.devloop.tools.domain.ToolDefinition;
import java.util.List;

/** Outgoing port reading the tool set that ships with the service. */
public interface ShippedToolsPort {
    List<ToolDefinition> shippedTools();
}
