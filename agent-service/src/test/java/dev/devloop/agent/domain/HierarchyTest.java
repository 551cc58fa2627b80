package dev.devloop.agent.domain;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class HierarchyTest {
    private static AgentDefinition def(String type, AgentLevel level, List<String> children, int maxChildren) {
        return AgentDefinition.of(
                type, level, "d", "i", children, null, null, new AgentLimits(5, 100, 60, maxChildren));
    }

    private final AgentDefinition health = def("system_health", AgentLevel.PARENT, List.of("diagnostic", "repair"), 2);
    private final AgentDefinition diagnostic = def("diagnostic", AgentLevel.CHILD, List.of("repair"), 1);
    private final AgentDefinition repair = def("repair", AgentLevel.MICRO, List.of(), 0);
    private final AgentDefinition planner = def("planner", AgentLevel.CHILD, List.of(), 0);
    private final Agent parent = Agent.spawn("t", health, null, Instant.now());

    @Test
    void aParentSpawnsAllowedTypesUpToItsLimit() {
        assertThatCode(() -> Hierarchy.checkSpawn(parent, health, diagnostic, 0))
                .doesNotThrowAnyException();
        assertThatCode(() -> Hierarchy.checkSpawn(parent, health, repair, 1)).doesNotThrowAnyException();
        assertThatThrownBy(() -> Hierarchy.checkSpawn(parent, health, diagnostic, 2))
                .isInstanceOf(HierarchyViolation.class)
                .hasMessageContaining("limit 2");
    }

    @Test
    void typesOutsideTheAllowListAreRefused() {
        assertThatThrownBy(() -> Hierarchy.checkSpawn(parent, health, planner, 0))
                .isInstanceOfSatisfying(HierarchyViolation.class, v -> v.rule().equals("allowed-child-types"));
    }

    @Test
    void childrenCannotSpawnUpwardsOrSideways() {
        Agent child = Agent.spawn("t", diagnostic, parent.id(), Instant.now());
        AgentDefinition weird = def("diagnostic", AgentLevel.CHILD, List.of("diagnostic"), 3);
        assertThatThrownBy(() -> Hierarchy.checkSpawn(child, weird, diagnostic, 0))
                .isInstanceOfSatisfying(HierarchyViolation.class, v -> v.rule().equals("level-order"));
    }

    @Test
    void aRetiredParentSpawnsNothing() {
        assertThatThrownBy(() -> Hierarchy.checkSpawn(parent.retire(Instant.now()), health, diagnostic, 0))
                .isInstanceOfSatisfying(HierarchyViolation.class, v -> v.rule().equals("parent-inactive"));
    }
}
