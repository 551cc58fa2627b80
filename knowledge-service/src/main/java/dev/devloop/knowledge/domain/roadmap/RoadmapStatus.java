package dev.devloop.knowledge.domain.roadmap;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/** Status of a roadmap node and the transitions allowed between statuses (docs/roadmap.md). */
public enum RoadmapStatus {
    PLANNED,
    IN_PROGRESS,
    BLOCKED,
    IN_REVIEW,
    DONE,
    CANCELLED;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The statuses this one may move to. */
    public Set<RoadmapStatus> next() {
        return switch (this) {
            case PLANNED -> EnumSet.of(IN_PROGRESS, BLOCKED, CANCELLED);
            case IN_PROGRESS -> EnumSet.of(PLANNED, BLOCKED, IN_REVIEW, DONE, CANCELLED);
            case BLOCKED -> EnumSet.of(PLANNED, IN_PROGRESS, CANCELLED);
            case IN_REVIEW -> EnumSet.of(IN_PROGRESS, BLOCKED, DONE, CANCELLED);
            case DONE -> EnumSet.of(IN_PROGRESS);
            case CANCELLED -> EnumSet.of(PLANNED);
        };
    }

    public boolean canMoveTo(RoadmapStatus to) {
        return next().contains(to);
    }

    /** A feature or task may only enter these statuses once every dependency is done. */
    public boolean needsDependenciesDone() {
        return this == IN_PROGRESS || this == IN_REVIEW || this == DONE;
    }

    public static Optional<RoadmapStatus> fromWire(String value) {
        for (RoadmapStatus status : values()) {
            if (status.wireName().equals(value)) {
                return Optional.of(status);
            }
        }
        return Optional.empty();
    }
}
