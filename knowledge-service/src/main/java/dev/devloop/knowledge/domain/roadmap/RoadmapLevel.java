package dev.devloop.knowledge.domain.roadmap;

import java.util.Locale;
import java.util.Optional;

/** The five levels of the roadmap, each a child of the one before. */
public enum RoadmapLevel {
    MILESTONE("Milestone"),
    PHASE("Phase"),
    MODULE("Module"),
    FEATURE("Feature"),
    TASK("Task");

    private final String label;

    RoadmapLevel(String label) {
        this.label = label;
    }

    /** The Neo4j label of nodes of this level (a constant, safe to inline in Cypher). */
    public String label() {
        return label;
    }

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The level a parent of this level must have; empty for milestones. */
    public Optional<RoadmapLevel> parentLevel() {
        return ordinal() == 0 ? Optional.empty() : Optional.of(values()[ordinal() - 1]);
    }

    /** The level of this level's children; empty for tasks. */
    public Optional<RoadmapLevel> childLevel() {
        return ordinal() == values().length - 1 ? Optional.empty() : Optional.of(values()[ordinal() + 1]);
    }

    /** Only features and tasks have dependencies, ready sets and orders. */
    public boolean schedulable() {
        return this == FEATURE || this == TASK;
    }

    public static Optional<RoadmapLevel> fromWire(String value) {
        for (RoadmapLevel level : values()) {
            if (level.wireName().equals(value)) {
                return Optional.of(level);
            }
        }
        return Optional.empty();
    }
}
