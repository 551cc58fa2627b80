package dev.devloop.knowledge.domain.roadmap;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A node of the roadmap graph. {@code metadata} is a JSON object as plain Java values; {@code estimate} is null
 * when not given; {@code version} grows by one on every change.
 */
public record RoadmapNode(
        String tenant,
        String id,
        RoadmapLevel level,
        String parentId,
        String name,
        String description,
        RoadmapStatus status,
        String owner,
        Double estimate,
        Map<String, Object> metadata,
        RoadmapLinks links,
        Instant createdAt,
        Instant updatedAt,
        long version) {

    public RoadmapNode {
        links = links == null ? RoadmapLinks.EMPTY : links;
        metadata = metadata == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
    }

    /** The roll-up weight of a task: its estimate when positive, else 1. */
    public double weight() {
        return Rollup.weight(estimate);
    }

    /** True when both carry the same caller-visible content (ignoring times and version). */
    public boolean sameContent(RoadmapNode other) {
        return id.equals(other.id)
                && level == other.level
                && java.util.Objects.equals(parentId, other.parentId)
                && name.equals(other.name)
                && java.util.Objects.equals(description, other.description)
                && status == other.status
                && java.util.Objects.equals(owner, other.owner)
                && java.util.Objects.equals(estimate, other.estimate)
                && PlainJson.write(metadata).equals(PlainJson.write(other.metadata))
                && links.equals(other.links);
    }

    public RoadmapNode changed(Instant now) {
        return new RoadmapNode(
                tenant,
                id,
                level,
                parentId,
                name,
                description,
                status,
                owner,
                estimate,
                metadata,
                links,
                createdAt,
                now,
                version + 1);
    }
}
