package dev.devloop.knowledge.application.roadmap;

import dev.devloop.knowledge.domain.roadmap.ImportResult;
import dev.devloop.knowledge.domain.roadmap.NodeDetails;
import dev.devloop.knowledge.domain.roadmap.Progress;
import dev.devloop.knowledge.domain.roadmap.RoadmapEvent;
import dev.devloop.knowledge.domain.roadmap.RoadmapLinks;
import dev.devloop.knowledge.domain.roadmap.RoadmapNode;
import dev.devloop.knowledge.domain.roadmap.RoadmapStatus;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The wire shape of nodes, roll-ups and events as plain JSON values (absent fields left out): one shape for the
 * REST answers and the events' data.
 */
public final class RoadmapMaps {
    private RoadmapMaps() {}

    public static Map<String, Object> node(RoadmapNode n) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", n.id());
        m.put("level", n.level().wireName());
        put(m, "parentId", n.parentId());
        m.put("name", n.name());
        put(m, "description", n.description());
        m.put("status", n.status().wireName());
        put(m, "owner", n.owner());
        put(m, "estimate", n.estimate());
        m.put("metadata", n.metadata());
        m.put("links", links(n.links()));
        put(m, "createdAt", n.createdAt() == null ? null : n.createdAt().toString());
        put(m, "updatedAt", n.updatedAt() == null ? null : n.updatedAt().toString());
        m.put("version", n.version());
        return m;
    }

    /** A node with what {@code GET /roadmap/nodes/{id}} adds: {@code dependsOn}, {@code children}, {@code progress}. */
    public static Map<String, Object> details(NodeDetails d) {
        Map<String, Object> m = node(d.node());
        m.put("dependsOn", d.dependsOn());
        m.put("children", d.children());
        m.put("progress", progress(d.progress()));
        return m;
    }

    public static Map<String, Object> links(RoadmapLinks l) {
        Map<String, Object> m = new LinkedHashMap<>();
        put(m, "branch", l.branch());
        if (l.pullRequest() != null) {
            Map<String, Object> pr = new LinkedHashMap<>();
            put(pr, "number", l.pullRequest().number());
            put(pr, "url", l.pullRequest().url());
            put(pr, "state", l.pullRequest().state());
            m.put("pullRequest", pr);
        }
        if (!l.commits().isEmpty()) {
            m.put("commits", l.commits());
        }
        if (l.checks() != null) {
            Map<String, Object> c = new LinkedHashMap<>();
            put(c, "status", l.checks().status());
            put(c, "conclusion", l.checks().conclusion());
            put(c, "url", l.checks().url());
            put(c, "summary", l.checks().summary());
            m.put("checks", c);
        }
        if (!l.runs().isEmpty()) {
            m.put("runs", l.runs());
        }
        return m;
    }

    public static Map<String, Object> progress(Progress p) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("progress", p.progress());
        m.put("tasks", p.tasks());
        m.put("done", p.done());
        m.put("estimateTotal", p.estimateTotal());
        m.put("estimateDone", p.estimateDone());
        return m;
    }

    static RoadmapEvent created(RoadmapNode n) {
        return new RoadmapEvent(RoadmapEvent.NODE_CREATED, n.id(), node(n));
    }

    static RoadmapEvent updated(RoadmapNode n) {
        return new RoadmapEvent(RoadmapEvent.NODE_UPDATED, n.id(), node(n));
    }

    static RoadmapEvent deleted(RoadmapNode n) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", n.id());
        m.put("level", n.level().wireName());
        return new RoadmapEvent(RoadmapEvent.NODE_DELETED, n.id(), m);
    }

    static RoadmapEvent imported(ImportResult r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("created", r.created());
        m.put("updated", r.updated());
        m.put("unchanged", r.unchanged());
        m.put("dependencies", r.dependencies());
        return new RoadmapEvent(RoadmapEvent.IMPORTED, null, m);
    }

    static RoadmapEvent statusChanged(RoadmapNode n, RoadmapStatus from) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", n.id());
        m.put("level", n.level().wireName());
        m.put("parentId", n.parentId());
        m.put("name", n.name());
        m.put("from", from.wireName());
        m.put("to", n.status().wireName());
        return new RoadmapEvent(RoadmapEvent.STATUS_CHANGED, n.id(), m);
    }

    static RoadmapEvent progressChanged(RoadmapNode n, Progress p) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", n.id());
        m.put("level", n.level().wireName());
        m.putAll(progress(p));
        return new RoadmapEvent(RoadmapEvent.PROGRESS_CHANGED, n.id(), m);
    }

    private static void put(Map<String, Object> m, String key, Object value) {
        if (value != null) {
            m.put(key, value);
        }
    }
}
