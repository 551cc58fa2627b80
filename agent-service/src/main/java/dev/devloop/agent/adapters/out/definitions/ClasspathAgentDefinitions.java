package dev.devloop.agent.adapters.out.definitions;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.devloop.agent.config.AgentServiceConfig;
import dev.devloop.agent.domain.AgentDefinition;
import dev.devloop.agent.domain.AgentLevel;
import dev.devloop.agent.domain.AgentLimits;
import dev.devloop.agent.domain.prompt.PromptTemplates;
import dev.devloop.agent.ports.out.ShippedAgentDefinitionsPort;
import io.quarkus.runtime.annotations.RegisterForReflection;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The shipped agent definitions, read once from a JSON resource at start-up. */
@ApplicationScoped
class ClasspathAgentDefinitions implements ShippedAgentDefinitionsPort {
    private final Map<String, AgentDefinition> byType = new LinkedHashMap<>();

    ClasspathAgentDefinitions(AgentServiceConfig config, ObjectMapper json, PromptTemplates templates) {
        try (InputStream in =
                Thread.currentThread().getContextClassLoader().getResourceAsStream(config.definitionsResource())) {
            if (in == null) {
                throw new IllegalStateException(
                        "agent definitions resource not found: " + config.definitionsResource());
            }
            for (DefinitionJson d : json.readValue(in, DefinitionJson[].class)) {
                AgentDefinition definition = d.toDomain();
                byType.put(definition.type(), definition);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read agent definitions", e);
        }
        // a definition naming a template or a type that does not exist fails the start, not a run
        for (AgentDefinition d : byType.values()) {
            if (templates.find(d.promptTemplate()).isEmpty()) {
                throw new IllegalStateException(d.type() + " names unknown prompt template '" + d.promptTemplate()
                        + "' (known: " + templates.names() + ")");
            }
            java.util.stream.Stream.concat(d.allowedChildTypes().stream(), d.handoffTargets().stream())
                    .filter(t -> !byType.containsKey(t))
                    .findFirst()
                    .ifPresent(t -> {
                        throw new IllegalStateException(d.type() + " refers to unknown agent type '" + t + "'");
                    });
            // the rules a registered type is held to: children strictly below, and room for them
            for (String child : d.allowedChildTypes()) {
                if (byType.get(child).level().ordinal() <= d.level().ordinal()) {
                    throw new IllegalStateException(d.type() + " (" + d.level() + ") cannot have child type '" + child
                            + "' (" + byType.get(child).level() + "): children sit strictly below their parent");
                }
            }
            if (!d.allowedChildTypes().isEmpty() && d.limits().maxChildren() < 1) {
                throw new IllegalStateException(d.type() + " allows child types but limits.maxChildren is 0");
            }
        }
    }

    @Override
    public List<AgentDefinition> shipped() {
        return List.copyOf(byType.values());
    }

    /** The JSON shape of one definition. */
    @RegisterForReflection
    record DefinitionJson(
            String type,
            String level,
            String description,
            String instructions,
            List<String> allowedChildTypes,
            String provider,
            String model,
            LimitsJson limits,
            String promptTemplate,
            List<String> handoffTargets,
            ApprovalJson approval,
            String guardrailMode) {
        AgentDefinition toDomain() {
            LimitsJson l = limits == null ? new LimitsJson(8, 100_000L, 300L, 5, null, null) : limits;
            return new AgentDefinition(
                    type,
                    AgentLevel.valueOf(level.toUpperCase()),
                    description,
                    instructions,
                    allowedChildTypes,
                    provider,
                    model,
                    new AgentLimits(
                            l.maxTurns(),
                            l.maxTokens(),
                            l.maxSeconds(),
                            l.maxChildren(),
                            l.maxCostUsd() == null ? 0 : l.maxCostUsd(),
                            l.maxConcurrentRuns() == null ? 0 : l.maxConcurrentRuns()),
                    promptTemplate,
                    handoffTargets,
                    approval != null && Boolean.TRUE.equals(approval.graphWrites()),
                    guardrailMode == null
                            ? null
                            : dev.devloop.agent.domain.safety.Enforcement.valueOf(guardrailMode.toUpperCase()),
                    0,
                    null,
                    null);
        }
    }

    /** The JSON shape of an agent's limits. */
    @RegisterForReflection
    record LimitsJson(
            int maxTurns,
            long maxTokens,
            long maxSeconds,
            int maxChildren,
            Double maxCostUsd,
            Integer maxConcurrentRuns) {}

    /** The JSON shape of a definition's approval gate. */
    @RegisterForReflection
    record ApprovalJson(Boolean graphWrites) {}
}
