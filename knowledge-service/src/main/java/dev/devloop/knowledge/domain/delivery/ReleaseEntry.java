package dev.devloop.knowledge.domain.delivery;

import dev.devloop.knowledge.domain.roadmap.RoadmapLinks;
import java.util.Map;

/** A done feature as the release notes read it: name, metadata ({@code changeType}, {@code mergedAt}) and PR. */
public record ReleaseEntry(String id, String name, Map<String, Object> metadata, RoadmapLinks.PullRequest pullRequest) {
    public ReleaseEntry {
        metadata = metadata == null ? Map.of() : metadata;
    }
}
