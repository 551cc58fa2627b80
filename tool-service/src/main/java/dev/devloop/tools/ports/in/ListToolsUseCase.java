package dev.devloop.tools.ports.in;

import dev.devloop.tools.domain.ToolDefinition;
import java.util.List;

/** Incoming port: which tools an agent type may call. */
public interface ListToolsUseCase {
    List<ToolDefinition> callableBy(String tenant, String agentType);

    /** Every enabled, executable tool this tenant sees (shipped and own), whoever may call it. */
    List<ToolDefinition> enabledFor(String tenant);
}
