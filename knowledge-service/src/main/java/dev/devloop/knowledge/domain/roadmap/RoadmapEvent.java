package dev.devloop.knowledge.domain.roadmap;

import java.util.Map;

/**
 * An event on {@code devloop.roadmap.events}: its type suffix (after {@code dev.devloop.roadmap.}), subject (a
 * node id) and data (plain JSON values: maps, lists, strings, numbers, booleans, null).
 */
public record RoadmapEvent(String type, String subject, Map<String, Object> data) {
    public static final String TYPE_PREFIX = "dev.devloop.roadmap.";
    public static final String NODE_CREATED = TYPE_PREFIX + "node.created";
    public static final String NODE_UPDATED = TYPE_PREFIX + "node.updated";
    public static final String NODE_DELETED = TYPE_PREFIX + "node.deleted";
    public static final String STATUS_CHANGED = TYPE_PREFIX + "status.changed";
    public static final String PROGRESS_CHANGED = TYPE_PREFIX + "progress.changed";
    public static final String IMPORTED = TYPE_PREFIX + "imported";
}
