package dev.devloop.knowledge.application.roadmap;

import dev.devloop.knowledge.application.KnowledgeTenants;
import dev.devloop.knowledge.domain.delivery.ReleaseEntry;
import dev.devloop.knowledge.domain.delivery.ReleaseNotes;
import dev.devloop.knowledge.domain.roadmap.RoadmapNode;
import dev.devloop.knowledge.domain.roadmap.RoadmapStatus;
import dev.devloop.knowledge.ports.in.KnowledgeRefusal;
import dev.devloop.knowledge.ports.in.ReleaseNotesUseCase;
import dev.devloop.knowledge.ports.out.RoadmapStorePort;
import dev.devloop.knowledge.ports.out.RoadmapTx;
import java.util.List;
import java.util.Map;

/** Release notes and feature changelogs, each read with one bounded query and rendered by {@link ReleaseNotes}. */
public class ReleaseNotesService implements ReleaseNotesUseCase {
    private final RoadmapStorePort store;
    private final RoadmapLimits limits;

    public ReleaseNotesService(RoadmapStorePort store, RoadmapLimits limits) {
        this.store = store;
        this.limits = limits;
    }

    @Override
    public String featureChangelog(String tenant, String featureId) {
        String t = KnowledgeTenants.checked(tenant);
        String id = RoadmapFields.idParam("id", featureId);
        RoadmapTx.Features found = store.read(t, tx -> tx.featureWithMilestone(id))
                .orElseThrow(
                        () -> KnowledgeRefusal.notFound("node-not-found", "No feature " + id + " for this tenant."));
        RoadmapNode feature = found.features().get(0);
        if (feature.status() != RoadmapStatus.DONE) {
            throw RoadmapProblem.conflict(
                    "feature-not-done",
                    "Feature not done",
                    id + " is " + feature.status().wireName() + "; only a done feature has a changelog entry.",
                    Map.of("status", feature.status().wireName()));
        }
        String title = found.milestoneName() == null ? feature.name() : found.milestoneName();
        return ReleaseNotes.render(title, List.of(entry(feature)));
    }

    @Override
    public String milestoneReleaseNotes(String tenant, String milestoneId) {
        String t = KnowledgeTenants.checked(tenant);
        String id = RoadmapFields.idParam("id", milestoneId);
        RoadmapTx.Features found = store.read(t, tx -> tx.doneFeatures(id, limits.maxViewNodes()))
                .orElseThrow(
                        () -> KnowledgeRefusal.notFound("node-not-found", "No milestone " + id + " for this tenant."));
        if (found.features().size() > limits.maxViewNodes()) {
            throw RoadmapProblem.tooLarge("milestone " + id, limits.maxViewNodes());
        }
        return ReleaseNotes.render(
                found.milestoneName(),
                found.features().stream().map(ReleaseNotesService::entry).toList());
    }

    private static ReleaseEntry entry(RoadmapNode n) {
        return new ReleaseEntry(n.id(), n.name(), n.metadata(), n.links().pullRequest());
    }
}
