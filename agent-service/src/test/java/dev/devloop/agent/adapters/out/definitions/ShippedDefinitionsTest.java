package dev.devloop.agent.adapters.out.definitions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.devloop.agent.config.AgentServiceConfig;
import dev.devloop.agent.domain.AgentDefinition;
import dev.devloop.agent.domain.AgentLevel;
import dev.devloop.agent.domain.prompt.PromptTemplates;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The shipped definitions load and hold the rules a registered type is held to; a broken file fails the start. */
class ShippedDefinitionsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final PromptTemplates TEMPLATES =
            ClasspathPromptTemplates.load(JSON, List.of("prompts/templates.yaml", "prompts/templates.json"));

    private static Map<String, AgentDefinition> load(String resource) {
        AgentServiceConfig config = (AgentServiceConfig) java.lang.reflect.Proxy.newProxyInstance(
                ShippedDefinitionsTest.class.getClassLoader(),
                new Class<?>[] {AgentServiceConfig.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("definitionsResource")) {
                        return resource;
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
        return new ClasspathAgentDefinitions(config, JSON, TEMPLATES)
                .shipped().stream().collect(Collectors.toMap(AgentDefinition::type, Function.identity()));
    }

    @Test
    void theDeliveryTypesShipWithTheirChildrenToolsAndLimitsAndThePlannerReachesDelivery() {
        Map<String, AgentDefinition> shipped = load("agent-definitions.json");

        assertThat(shipped)
                .containsKeys(
                        "assistant",
                        "system_health",
                        "diagnostic",
                        "repair",
                        "planner",
                        "delivery",
                        "repository",
                        "cicd",
                        "pr_manager");
        AgentDefinition delivery = shipped.get("delivery");
        assertThat(delivery.level()).isEqualTo(AgentLevel.PARENT);
        assertThat(delivery.allowedChildTypes()).containsExactly("repository", "cicd", "pr_manager");
        assertThat(delivery.canSpawn()).isTrue();
        // room for the first attempt, two fix rounds (repository + cicd each) and the merge
        assertThat(delivery.limits().maxChildren()).isGreaterThanOrEqualTo(1 + 1 + 2 * 2 + 1);
        assertThat(delivery.instructions())
                .contains(
                        "roadmap_read",
                        "roadmap_mark_progress",
                        "in_progress",
                        "spawn_agent",
                        "repository",
                        "cicd",
                        "build_failed",
                        "at most 2",
                        "pr_manager",
                        "report");
        for (String child : List.of("repository", "cicd", "pr_manager")) {
            assertThat(shipped.get(child).level()).isEqualTo(AgentLevel.CHILD);
            assertThat(shipped.get(child).canSpawn()).isFalse();
            assertThat(shipped.get(child).limits().maxTurns()).isBetween(1, 25);
        }
        assertThat(shipped.get("repository").instructions()).contains("git_commit", "secret scan", "forge_open_pr");
        assertThat(shipped.get("cicd").instructions())
                .contains(
                        "forge_checks",
                        "forge_check_log",
                        "roadmap_update_node",
                        "ciAnalysis",
                        "build_failed",
                        "ready_for_review");
        assertThat(shipped.get("pr_manager").instructions()).contains("forge_merge_pr", "forge_review_pr");
        // the planner is a child, so it reaches the parent-level delivery agent by handoff, not as its child
        assertThat(shipped.get("planner").handoffTargets()).contains("delivery");
        // every shipped definition renders through its template (the start would fail otherwise)
        shipped.values()
                .forEach(d -> assertThat(TEMPLATES.find(d.promptTemplate())).isPresent());
    }

    @Test
    void aDefinitionFileBreakingTheHierarchyRulesFailsTheStart() {
        assertThatThrownBy(() -> load("definitions/level-inverted.json"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("boss")
                .hasMessageContaining("strictly below");
        assertThatThrownBy(() -> load("definitions/no-room.json"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("maxChildren");
    }
}
