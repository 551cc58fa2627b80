package dev.devloop.knowledge.application;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.devloop.knowledge.domain.AgentLifecycleEvent;
import dev.devloop.knowledge.domain.AgentNode;
import dev.devloop.knowledge.domain.AgentTree;
import dev.devloop.knowledge.domain.FactKey;
import dev.devloop.knowledge.domain.Tier;
import dev.devloop.knowledge.ports.in.StoreFactCommand;
import dev.devloop.knowledge.ports.out.AgentGraphPort;
import dev.devloop.knowledge.ports.out.TierUnavailableException;
import dev.devloop.knowledge.support.InMemoryProcessedEvents;
import dev.devloop.knowledge.support.InMemoryTier;
import dev.devloop.knowledge.support.MutableClock;
import dev.devloop.knowledge.support.Problems;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class EventServicesTest {
    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    private final InMemoryProcessedEvents processed = new InMemoryProcessedEvents();
    private final EventDeduplicator once = new EventDeduplicator(processed, clock, 3, Duration.ZERO);
    private final InMemoryTier longTier = new InMemoryTier(Tier.LONG);
    private final FactService facts = new FactService(
            new InMemoryTier(Tier.SHORT),
            new InMemoryTier(Tier.MEDIUM),
            longTier,
            new FactLimits(64, 1024, 1_000_000, 100),
            clock);

    @Test
    void aFactEventIsAppliedOncePerEventId() {
        FactEventService events = new FactEventService(facts, once);
        assertThat(events.apply("e1", new StoreFactCommand("t1", "svc", "a", "1", null)))
                .isTrue();
        assertThat(events.apply("e1", new StoreFactCommand("t1", "svc", "a", "2", null)))
                .isFalse();
        assertThat(longTier.contents().get(new FactKey("t1", "svc", "a")).valueJson())
                .isEqualTo("1");
        assertThat(events.apply("e1", new StoreFactCommand("t2", "svc", "a", "3", null)))
                .isTrue();
    }

    @Test
    void anInvalidFactEventFailsWithTheFieldAndIsNotRemembered() {
        FactEventService events = new FactEventService(facts, once);
        assertThatThrownBy(() -> events.apply("e2", new StoreFactCommand("t1", "svc", "a", "1", -1L)))
                .isInstanceOfSatisfying(
                        RuntimeException.class,
                        e -> assertThat(Problems.of(e).field()).isEqualTo("ttlSeconds"));
        assertThat(processed.size()).isZero();
    }

    @Test
    void anUnavailableStoreIsRetriedThenPropagates() {
        AtomicInteger calls = new AtomicInteger();
        assertThatThrownBy(() -> once.applyOnce("c", "t1", "e3", () -> {
                    calls.incrementAndGet();
                    throw new TierUnavailableException("neo4j", null);
                }))
                .isInstanceOf(TierUnavailableException.class);
        assertThat(calls).hasValue(3);
        AtomicInteger flaky = new AtomicInteger();
        assertThat(once.applyOnce("c", "t1", "e4", () -> {
                    if (flaky.incrementAndGet() == 1) {
                        throw new TierUnavailableException("neo4j", null);
                    }
                }))
                .isTrue();
        assertThat(flaky).hasValue(2);
    }

    @Test
    void lifecycleEventsAreMirroredOnceAndTheTreeIsBuilt() {
        RecordingGraph graph = new RecordingGraph();
        AgentMirrorService mirror = new AgentMirrorService(graph, once, 5, 100, 64);
        AgentLifecycleEvent spawned = new AgentLifecycleEvent.Spawned(
                "t1", "root", "system_health", "parent", null, "ACTIVE", "2026-01-01T00:00:00Z");
        assertThat(mirror.mirror("e1", spawned)).isTrue();
        assertThat(mirror.mirror("e1", spawned)).isFalse();
        assertThat(graph.applied).hasSize(1);

        graph.nodes.add(new AgentNode("root", "system_health", "parent", "ACTIVE", null, null, null, List.of()));
        graph.nodes.add(new AgentNode("kid-b", "repair", "micro", "ACTIVE", "root", null, null, List.of()));
        graph.nodes.add(new AgentNode("kid-a", "diagnostic", "child", "RETIRED", "root", null, null, List.of()));
        graph.nodes.add(new AgentNode("grandkid", "repair", "micro", "ACTIVE", "kid-a", null, null, List.of()));
        AgentTree tree = mirror.tree("t1", "root");
        assertThat(tree.size()).isEqualTo(4);
        assertThat(tree.children()).extracting(c -> c.agent().id()).containsExactly("kid-a", "kid-b");
        assertThat(tree.children().get(0).children())
                .extracting(c -> c.agent().id())
                .containsExactly("grandkid");
    }

    @Test
    void anUnknownAgentIsNotFoundAndABadIdIsRejected() {
        AgentMirrorService mirror = new AgentMirrorService(new RecordingGraph(), once, 5, 100, 8);
        assertThatThrownBy(() -> mirror.tree("t1", "nobody"))
                .isInstanceOfSatisfying(
                        RuntimeException.class,
                        e -> assertThat(Problems.of(e).status()).isEqualTo(404));
        assertThatThrownBy(() -> mirror.tree("t1", "x".repeat(9)))
                .isInstanceOfSatisfying(
                        RuntimeException.class,
                        e -> assertThat(Problems.of(e).field()).isEqualTo("id"));
        assertThatThrownBy(() -> mirror.tree(" ", "a")).isInstanceOfSatisfying(RuntimeException.class, e -> assertThat(
                        Problems.of(e).field())
                .isEqualTo("X-Devloop-Tenant"));
    }

    /** Records applied events and serves a fixed set of nodes. */
    private static final class RecordingGraph implements AgentGraphPort {
        final List<AgentLifecycleEvent> applied = new ArrayList<>();
        final List<AgentNode> nodes = new ArrayList<>();

        @Override
        public void apply(AgentLifecycleEvent event) {
            applied.add(event);
        }

        @Override
        public List<AgentNode> subtree(String tenant, String agentId, int maxDepth, int maxNodes) {
            return nodes.stream().limit(maxNodes).toList();
        }
    }
}
