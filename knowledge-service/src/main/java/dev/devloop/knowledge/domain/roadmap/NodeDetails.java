package dev.devloop.knowledge.domain.roadmap;

import java.util.List;

/** A node with the ids it depends on, its children's ids (bounded) and its roll-up. */
public record NodeDetails(RoadmapNode node, List<String> dependsOn, List<String> children, Progress progress) {}
