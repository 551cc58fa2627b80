package dev.devloop.knowledge.domain.roadmap;

import java.util.List;

/** A node of a roadmap tree with its roll-up and its children (empty below the requested depth). */
public record TreeNode(RoadmapNode node, Progress progress, List<TreeNode> children) {}
