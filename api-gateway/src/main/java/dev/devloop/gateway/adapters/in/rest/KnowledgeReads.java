package dev.devloop.gateway.adapters.in.rest;

import dev.devloop.gateway.domain.HopRequest;
import dev.devloop.gateway.domain.Service;
import dev.devloop.gateway.ports.in.ResourceIds;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.core.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The table of knowledge-service's forwarded reads ({@link KnowledgeRoutesResource}, {@link RoadmapRoutesResource}):
 * one row per {@code GET} route — its rate-limit key, its downstream path template (the public route is
 * {@code GET /api/v1} + the same template) and how its path values are checked. The JAX-RS methods keep their typed
 * parameters, roles and query checks and end in one {@link #read} of their row.
 */
enum KnowledgeReads {
    FACT("facts.get", "/facts/{entity}/{attribute}", Values.SEGMENTS),
    FACTS("facts.list", "/facts/{entity}", Values.SEGMENTS),
    ENTITIES("entities.list", "/entities", Values.SEGMENTS),
    ENTITY("entities.get", "/entities/{id}", Values.SEGMENTS),
    NEIGHBOURHOOD("entities.get", "/entities/{id}/neighbourhood", Values.SEGMENTS),
    RELATIONSHIPS("relationships.list", "/relationships", Values.SEGMENTS),
    DOCUMENT("documents.get", "/documents/{id}", Values.SEGMENTS),
    AGENT_TREE("agents.tree", "/agents/{id}/tree", Values.SEGMENTS),
    ROADMAP_NODES("roadmap.list", "/roadmap/nodes", Values.IDS),
    ROADMAP_NODE("roadmap.get", "/roadmap/nodes/{id}", Values.IDS),
    ROADMAP_PROGRESS("roadmap.get", "/roadmap/nodes/{id}/progress", Values.IDS),
    ROADMAP_TREE("roadmap.get", "/roadmap/nodes/{id}/tree", Values.IDS),
    ROADMAP_READY("roadmap.list", "/roadmap/ready", Values.IDS),
    ROADMAP_ORDER("roadmap.get", "/roadmap/order", Values.IDS),
    CRITICAL_PATH("roadmap.get", "/roadmap/milestones/{id}/critical-path", Values.IDS),
    CHANGELOG("roadmap.get", "/roadmap/features/{id}/changelog", Values.IDS),
    RELEASE_NOTES("roadmap.get", "/roadmap/milestones/{id}/release-notes", Values.IDS);

    /** How a row's path values are checked: any text percent-encoded as a segment, or a resource id. */
    enum Values {
        SEGMENTS,
        IDS
    }

    private final String routeKey;
    private final String route;
    private final Values values;
    /** The template cut at its placeholders: literal, name, literal, name, …, literal. */
    private final List<String> parts = new ArrayList<>();

    KnowledgeReads(String routeKey, String path, Values values) {
        this.routeKey = routeKey;
        this.route = "GET /api/v1" + path;
        this.values = values;
        // (an enum constructor cannot read the enum's own static fields: the pattern is compiled per row, once)
        Matcher m = Pattern.compile("\\{([A-Za-z]+)}").matcher(path);
        int end = 0;
        while (m.find()) {
            parts.add(path.substring(end, m.start()));
            parts.add(m.group(1));
            end = m.end();
        }
        parts.add(path.substring(end));
    }

    /**
     * Forwards this read with {@code pathValues} in the template's order (each checked, a 400 naming its
     * placeholder when malformed) and the already checked {@code query}.
     */
    Uni<Response> read(ServiceRoutes routes, String query, ServiceRoutes.Shape shape, String... pathValues) {
        return routes.read(routeKey, route, request(query, pathValues), shape);
    }

    /** The hop of this read with {@code pathValues} checked and filled in (see {@link #read}). */
    HopRequest request(String query, String... pathValues) {
        if (pathValues.length != parts.size() / 2) {
            throw new IllegalArgumentException(route + " takes " + parts.size() / 2 + " path values");
        }
        StringBuilder path = new StringBuilder(parts.get(0));
        for (int i = 0; i < pathValues.length; i++) {
            String name = parts.get(2 * i + 1);
            path.append(
                            values == Values.IDS
                                    ? ResourceIds.require(name, pathValues[i])
                                    : PathSegments.segment(name, pathValues[i]))
                    .append(parts.get(2 * i + 2));
        }
        return HopRequest.read(Service.KNOWLEDGE, path.toString(), query);
    }

    String routeKey() {
        return routeKey;
    }

    /** The downstream path template; the public one is {@code /api/v1} + the same. */
    String path() {
        return route.substring("GET /api/v1".length());
    }
}
