package dev.devloop.tools.domain;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;

/**
 * A registered tool. {@code scope} is {@link #SHIPPED} for the set every tenant sees, or the tenant
 * that registered it; {@code implementation} names the executor that runs it (by default its id).
 */
public record ToolDefinition(
    String id,
    String scope,
    String description,
    JsonNode parameters,
    ToolKind kind,
    String implementation,
    List<String> allowedAgentTypes,
    ToolLimits limits,
    boolean enabled,
    Instant updatedAt) {

  /** Scope of the tools shipped with the service, visible to every tenant. */
  public static final String SHIPPED = "*";
  /** Entry of {@link #allowedAgentTypes} that admits every agent type. */
  public static final String ANY_AGENT_TYPE = "*";

  public ToolDefinition {
    allowedAgentTypes = List.copyOf(allowedAgentTypes);
  }

  /** True when an agent of this type may call the tool. */
  public boolean allows(String agentType) {
    return allowedAgentTypes.contains(ANY_AGENT_TYPE) || allowedAgentTypes.contains(agentType);
  }

  public boolean shipped() {
    return SHIPPED.equals(scope);
  }

  public ToolDefinition disabled(Instant at) {
    return new ToolDefinition(
        id, scope, description, parameters, kind, implementation, allowedAgentTypes, limits, false, at);
  }
}
