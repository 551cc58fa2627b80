package dev.devloop.knowledge.domain.roadmap;

import static dev.devloop.knowledge.domain.roadmap.RoadmapStatus.CANCELLED;
import static dev.devloop.knowledge.domain.roadmap.RoadmapStatus.DONE;
import static dev.devloop.knowledge.domain.roadmap.RoadmapStatus.IN_PROGRESS;
import static dev.devloop.knowledge.domain.roadmap.RoadmapStatus.PLANNED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RoadmapDomainTest {
    private static PlanItem item(String id, RoadmapStatus status, Double estimate, String... deps) {
        return new PlanItem(id, "name of " + id, status, estimate, List.of(deps));
    }

    @Test
    void anEdgeThatClosesACycleIsFoundAndNamed() {
        Map<String, List<String>> edges = Map.of("b", List.of("c"), "c", List.of("a"), "x", List.of("b"));
        assertThat(DependencyGraph.cycleIfAdded(edges, "a", "b")).contains(List.of("a", "b", "c", "a"));
        assertThat(DependencyGraph.cycleIfAdded(edges, "a", "a")).contains(List.of("a", "a"));
        assertThat(DependencyGraph.cycleIfAdded(edges, "b", "x")).contains(List.of("b", "x", "b"));
        assertThat(DependencyGraph.cycleIfAdded(edges, "x", "a")).isEmpty();
        assertThat(DependencyGraph.cycleIfAdded(edges, "a", "z")).isEmpty();
    }

    @Test
    void aCycleOfAWholeGraphIsFound() {
        assertThat(DependencyGraph.findCycle(Map.of("a", List.of("b"), "b", List.of("c"), "c", List.of("d"))))
                .isEmpty();
        assertThat(DependencyGraph.findCycle(Map.of("a", List.of("b"), "b", List.of("c"), "c", List.of("a"))))
                .contains(List.of("a", "b", "c", "a"));
        assertThat(DependencyGraph.findCycle(Map.of("a", List.of("b"), "b", List.of("c"), "c", List.of("b"))))
                .contains(List.of("b", "c", "b"));
        assertThat(DependencyGraph.findCycle(Map.of("s", List.of("s")))).contains(List.of("s", "s"));
    }

    @Test
    void rollUpWeighsByEstimateAndLeavesCancelledOut() {
        Progress p = Rollup.of(List.of(
                item("a", DONE, 2.0),
                item("b", PLANNED, 3.0),
                item("c", DONE, null),
                item("d", IN_PROGRESS, 0.0),
                item("e", CANCELLED, 100.0)));
        // weights: a 2 (done), b 3, c 1 (done, no estimate), d 1 (estimate 0); e cancelled
        assertThat(p.tasks()).isEqualTo(4);
        assertThat(p.done()).isEqualTo(2);
        assertThat(p.estimateTotal()).isEqualTo(7.0);
        assertThat(p.estimateDone()).isEqualTo(3.0);
        assertThat(p.progress()).isEqualTo(3.0 / 7.0);
        assertThat(Rollup.of(List.of(item("x", CANCELLED, 1.0)))).isEqualTo(Progress.NONE);
    }

    @Test
    void theReadySetHoldsPlannedItemsWhoseDependenciesAreAllDone() {
        List<PlanItem> items = List.of(
                item("a", DONE, 1.0),
                item("b", PLANNED, 1.0, "a"),
                item("c", PLANNED, 1.0, "b"),
                item("d", PLANNED, 1.0),
                item("e", IN_PROGRESS, 1.0),
                item("f", PLANNED, 1.0, "a", "outside"));
        assertThat(DependencyGraph.ready(items, DependencyGraph.statuses(items)).stream()
                        .map(PlanItem::id))
                .containsExactly("b", "d");
        assertThat(DependencyGraph.ready(items, id -> id.equals("outside") || id.equals("a") ? DONE : PLANNED).stream()
                        .map(PlanItem::id))
                .containsExactly("b", "d", "f");
    }

    @Test
    void theOrderRanksByTheLongestChainBefore() {
        List<PlanItem> items = List.of(
                item("d", PLANNED, 1.0, "b", "c"),
                item("c", PLANNED, 1.0, "a"),
                item("b", PLANNED, 1.0, "a"),
                item("a", PLANNED, 1.0),
                item("e", PLANNED, 1.0, "c", "elsewhere"),
                item("z", PLANNED, 1.0));
        assertThat(DependencyGraph.order(items))
                .containsExactly(
                        new DependencyGraph.Ranked("a", 0),
                        new DependencyGraph.Ranked("z", 0),
                        new DependencyGraph.Ranked("b", 1),
                        new DependencyGraph.Ranked("c", 1),
                        new DependencyGraph.Ranked("d", 2),
                        new DependencyGraph.Ranked("e", 2));
        assertThatThrownBy(() ->
                        DependencyGraph.order(List.of(item("p", PLANNED, 1.0, "q"), item("q", PLANNED, 1.0, "p"))))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void theCriticalPathIsTheHeaviestChainWithoutCancelledTasks() {
        // a(2) → b(3) → d(1) = 6;  a(2) → c(1) → d(1) = 4;  x(5, cancelled) → d would make 6+ but is left out; y(4)
        // alone
        List<PlanItem> tasks = List.of(
                item("a", DONE, 2.0),
                item("b", IN_PROGRESS, 3.0, "a"),
                item("c", PLANNED, 1.0, "a"),
                item("d", PLANNED, null, "b", "c", "x"),
                item("x", CANCELLED, 5.0),
                item("y", PLANNED, 4.0));
        CriticalPath path = DependencyGraph.criticalPath("m1", tasks);
        assertThat(path.milestone()).isEqualTo("m1");
        assertThat(path.path().stream().map(PlanItem::id)).containsExactly("a", "b", "d");
        assertThat(path.length()).isEqualTo(6.0);
        assertThat(path.remaining()).isEqualTo(4.0);
        assertThat(DependencyGraph.criticalPath("empty", List.of()).path()).isEmpty();
    }

    @Test
    void statusTransitionsFollowTheTable() {
        assertThat(PLANNED.canMoveTo(IN_PROGRESS)).isTrue();
        assertThat(PLANNED.canMoveTo(DONE)).isFalse();
        assertThat(DONE.canMoveTo(IN_PROGRESS)).isTrue();
        assertThat(DONE.canMoveTo(CANCELLED)).isFalse();
        assertThat(CANCELLED.next()).containsExactly(PLANNED);
        assertThat(RoadmapStatus.IN_REVIEW.next())
                .containsExactlyInAnyOrder(IN_PROGRESS, RoadmapStatus.BLOCKED, DONE, CANCELLED);
        assertThat(DONE.needsDependenciesDone()).isTrue();
        assertThat(RoadmapStatus.BLOCKED.needsDependenciesDone()).isFalse();
    }

    @Test
    void levelsNestOneUnderTheOther() {
        assertThat(RoadmapLevel.MILESTONE.parentLevel()).isEmpty();
        assertThat(RoadmapLevel.TASK.parentLevel()).contains(RoadmapLevel.FEATURE);
        assertThat(RoadmapLevel.PHASE.childLevel()).contains(RoadmapLevel.MODULE);
        assertThat(RoadmapLevel.fromWire("module")).contains(RoadmapLevel.MODULE);
        assertThat(RoadmapLevel.fromWire("Module")).isEmpty();
    }

    @Test
    void nestingDependencyAndFieldRules() {
        assertThat(RoadmapRules.nestingProblem(RoadmapLevel.MILESTONE, null)).isEmpty();
        assertThat(RoadmapRules.nestingProblem(RoadmapLevel.MILESTONE, RoadmapLevel.PHASE))
                .isPresent();
        assertThat(RoadmapRules.nestingProblem(RoadmapLevel.TASK, RoadmapLevel.FEATURE))
                .isEmpty();
        assertThat(RoadmapRules.nestingProblem(RoadmapLevel.TASK, RoadmapLevel.MODULE))
                .hasValueSatisfying(p -> assertThat(p).contains("must be a feature"));
        assertThat(RoadmapRules.nestingProblem(RoadmapLevel.PHASE, null)).isPresent();
        assertThat(RoadmapRules.dependencyProblem(RoadmapLevel.TASK, RoadmapLevel.TASK))
                .isEmpty();
        assertThat(RoadmapRules.dependencyProblem(RoadmapLevel.FEATURE, RoadmapLevel.FEATURE))
                .isEmpty();
        assertThat(RoadmapRules.dependencyProblem(RoadmapLevel.TASK, RoadmapLevel.FEATURE))
                .isPresent();
        assertThat(RoadmapRules.dependencyProblem(RoadmapLevel.MODULE, RoadmapLevel.MODULE))
                .isPresent();
        Map<String, RoadmapStatus> deps = Map.of("b", PLANNED, "a", DONE, "c", CANCELLED);
        assertThat(RoadmapRules.blockingDependencies(RoadmapLevel.TASK, IN_PROGRESS, deps))
                .containsExactly("b", "c");
        assertThat(RoadmapRules.blockingDependencies(RoadmapLevel.TASK, RoadmapStatus.BLOCKED, deps))
                .isEmpty();
        assertThat(RoadmapRules.blockingDependencies(RoadmapLevel.MILESTONE, DONE, deps))
                .isEmpty();
        assertThat(RoadmapRules.validId("login-form.v2_x")).isTrue();
        assertThat(RoadmapRules.validId("-x")).isFalse();
        assertThat(RoadmapRules.validId("a".repeat(129))).isFalse();
        assertThat(RoadmapRules.validEstimate(10_000)).isTrue();
        assertThat(RoadmapRules.validEstimate(-0.5)).isFalse();
        assertThat(RoadmapRules.validEstimate(Double.NaN)).isFalse();
    }

    @Test
    void plainJsonIsCanonical() {
        assertThat(PlainJson.write(Map.of("b", List.of(1, 2.5, true), "a", "x\"\n")))
                .isEqualTo("{\"a\":\"x\\\"\\n\",\"b\":[1,2.5,true]}");
        assertThat(PlainJson.write(Map.of("n", 2.0))).isEqualTo(PlainJson.write(Map.of("n", 2)));
    }
}
