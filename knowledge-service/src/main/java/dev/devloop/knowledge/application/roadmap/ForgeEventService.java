package dev.devloop.knowledge.application.roadmap;

import dev.devloop.contracts.logging.LogFields;
import dev.devloop.knowledge.application.EventDeduplicator;
import dev.devloop.knowledge.application.KnowledgeTenants;
import dev.devloop.knowledge.domain.delivery.FeatureChange;
import dev.devloop.knowledge.domain.delivery.FeatureDelivery;
import dev.devloop.knowledge.domain.roadmap.Progress;
import dev.devloop.knowledge.domain.roadmap.RoadmapEvent;
import dev.devloop.knowledge.domain.roadmap.RoadmapLevel;
import dev.devloop.knowledge.domain.roadmap.RoadmapNode;
import dev.devloop.knowledge.domain.roadmap.RoadmapStatus;
import dev.devloop.knowledge.ports.in.ApplyForgeEventUseCase;
import dev.devloop.knowledge.ports.out.RoadmapStorePort;
import dev.devloop.knowledge.ports.out.RoadmapTx;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jboss.logging.Logger;

/**
 * Applies forge events to roadmap features in one roadmap write transaction each, with the same outbox events as
 * any other change ({@code node.updated}, {@code status.changed}, {@code progress.changed}); a merge also closes the
 * feature's open tasks, which moves the roll-ups above it.
 */
public class ForgeEventService implements ApplyForgeEventUseCase {
    private static final Logger LOG = Logger.getLogger(ForgeEventService.class);

    /** The consumer name under which processed forge events are remembered. */
    public static final String CONSUMER = "forge-events";

    private final RoadmapStorePort store;
    private final EventDeduplicator once;
    private final RoadmapLimits limits;
    private final RoadmapFields fields;
    private final Clock clock;

    public ForgeEventService(RoadmapStorePort store, EventDeduplicator once, RoadmapLimits limits, Clock clock) {
        this.store = store;
        this.once = once;
        this.limits = limits;
        this.fields = new RoadmapFields(limits);
        this.clock = clock;
    }

    @Override
    public Outcome apply(String eventId, String tenant, FeatureChange change) {
        String t = KnowledgeTenants.checked(tenant);
        AtomicBoolean found = new AtomicBoolean();
        boolean ran = once.applyOnce(
                CONSUMER, t, eventId, () -> found.set(store.write(t, false, tx -> applyInTx(tx, change))));
        Outcome outcome = !ran ? Outcome.DUPLICATE : found.get() ? Outcome.APPLIED : Outcome.IGNORED;
        LogFields.of("tenant", t, "event", eventId, "kind", change.event() + "/" + change.action())
                .and("feature", change.featureId())
                .and("outcome", outcome)
                .info(LOG, "forge event handled");
        return outcome;
    }

    private boolean applyInTx(RoadmapTx tx, FeatureChange change) {
        RoadmapNode current = tx.node(change.featureId())
                .filter(n -> n.level() == RoadmapLevel.FEATURE)
                .orElse(null);
        if (current == null) {
            return false;
        }
        Map<String, RoadmapStatus> deps =
                change.status() == FeatureChange.StatusMove.REVIEW ? tx.dependencyStatuses(current.id()) : Map.of();
        RoadmapNode next = FeatureDelivery.apply(current, change, deps, limits.maxLinkItems());
        fields.metadata("metadata", next.metadata());
        List<RoadmapNode> tasks = change.status() == FeatureChange.StatusMove.MERGED
                ? tx.subtree(current.id(), 1, limits.maxCascade() + 1).stream()
                        .filter(n -> n.level() == RoadmapLevel.TASK && FeatureDelivery.openTask(n.status()))
                        .toList()
                : List.of();
        if (next.sameContent(current) && tasks.isEmpty()) {
            return true;
        }
        Instant now = clock.instant();
        List<String> rolled = new ArrayList<>();
        if (!tasks.isEmpty()) {
            rolled.add(current.id());
            rolled.addAll(tx.ancestors(current.id()));
        }
        Map<String, Progress> before = rolled.isEmpty() ? Map.of() : tx.progress(rolled);
        List<RoadmapEvent> events = new ArrayList<>();
        for (RoadmapNode task : tasks) {
            RoadmapNode done = new RoadmapNode(
                            task.tenant(),
                            task.id(),
                            task.level(),
                            task.parentId(),
                            task.name(),
                            task.description(),
                            RoadmapStatus.DONE,
                            task.owner(),
                            task.estimate(),
                            task.metadata(),
                            task.links(),
                            task.createdAt(),
                            task.updatedAt(),
                            task.version())
                    .changed(now);
            tx.update(done);
            events.add(RoadmapMaps.updated(done));
            events.add(RoadmapMaps.statusChanged(done, task.status()));
        }
        RoadmapNode saved = next.sameContent(current) ? current : next.changed(now);
        if (saved != current) {
            tx.update(saved);
            events.add(RoadmapMaps.updated(saved));
            if (saved.status() != current.status()) {
                events.add(RoadmapMaps.statusChanged(saved, current.status()));
            }
        }
        if (!rolled.isEmpty()) {
            Map<String, Progress> after = tx.progress(rolled);
            Map<String, RoadmapNode> nodes = tx.nodes(rolled);
            for (String id : rolled) {
                Progress p = after.get(id);
                if (p != null && !p.equals(before.get(id))) {
                    events.add(RoadmapMaps.progressChanged(nodes.get(id), p));
                }
            }
        }
        tx.emit(events);
        return true;
    }
}
