package dev.devloop.gateway.adapters.in.rest;

import static dev.devloop.gateway.adapters.in.rest.PathSegments.params;
import static dev.devloop.gateway.adapters.in.rest.PathSegments.query;

import dev.devloop.contracts.problem.ProblemException;
import dev.devloop.gateway.domain.HopRequest;
import dev.devloop.gateway.domain.Roles;
import dev.devloop.gateway.domain.Service;
import dev.devloop.gateway.domain.UsageRange;
import dev.devloop.gateway.ports.in.ResourceIds;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;
import jakarta.ws.rs.core.Response;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * The table of hot forwarded reads (issue #16): one row per {@code GET} route a dashboard or SDK polls whose JAX-RS
 * resource is a pure forward — its public path template, the roles it allows, the query parameters it takes and how
 * a request becomes the hop and the answer's shape. Both ways in run the row: the JAX-RS method (typed parameters,
 * {@code @RolesAllowed}, OpenAPI) hands its values to {@link #read}, and the Vert.x route below RESTEasy
 * ({@link FastReads}) serves every row with the same {@link #call}. Adding a hot read is one row here and one
 * delegating JAX-RS method.
 */
enum HotReads {
    AGENT_TYPES(
            "agent-types.list",
            "/agent-types",
            Rows.VIEWERS,
            List.of("fields", "limit", "cursor"),
            v -> new Call(HopRequest.read(Service.AGENT, "/agent-types", null), items(v, Integer.MAX_VALUE))),
    AGENT_TYPE(
            "agent-types.get",
            "/agent-types/{type}",
            Rows.VIEWERS,
            List.of("fields"),
            v -> new Call(
                    HopRequest.read(Service.AGENT, "/agent-types/" + ResourceIds.require("type", v.path("type")), null),
                    ServiceRoutes.item(v.text("fields")))),
    AGENT_TYPE_VERSIONS(
            "agent-types.get",
            "/agent-types/{type}/versions",
            Rows.VIEWERS,
            List.of("fields", "limit", "cursor"),
            v -> new Call(
                    HopRequest.read(
                            Service.AGENT,
                            "/agent-types/" + ResourceIds.require("type", v.path("type")) + "/versions",
                            null),
                    items(v, Integer.MAX_VALUE))),
    AGENTS(
            "agents.list",
            "/agents",
            Rows.VIEWERS,
            List.of("parentId", "type", "status", "fields", "limit", "cursor"),
            v -> new Call(
                    HopRequest.read(
                            Service.AGENT,
                            "/agents",
                            query(params(
                                    "parentId",
                                    optionalId("parentId", v.text("parentId")),
                                    "type",
                                    optionalId("type", v.text("type")),
                                    "status",
                                    PathSegments.check("status", v.text("status"), false)))),
                    new ServiceRoutes.Shape.Keyset(v.text("fields"), v.count("limit"), v.text("cursor")))),
    APPROVALS(
            "approvals.list",
            "/approvals",
            Rows.VIEWERS,
            List.of("status", "runId", "fields", "limit", "cursor"),
            v -> new Call(
                    HopRequest.read(
                            Service.AGENT,
                            "/approvals",
                            query(params(
                                    "status",
                                    RoadmapRoutesResource.oneOf("status", v.text("status"), Rows.APPROVAL_STATUSES),
                                    "runId",
                                    optionalId("runId", v.text("runId"))))),
                    items(v, Integer.MAX_VALUE))),
    APPROVAL(
            "approvals.get",
            "/approvals/{id}",
            Rows.VIEWERS,
            List.of("fields"),
            v -> new Call(
                    HopRequest.read(Service.AGENT, "/approvals/" + ResourceIds.require("id", v.path("id")), null),
                    ServiceRoutes.item(v.text("fields")))),
    HANDOFF(
            "agents.get",
            "/handoffs/{id}",
            Rows.VIEWERS,
            List.of(),
            v -> new Call(
                    HopRequest.read(Service.AGENT, "/handoffs/" + ResourceIds.require("id", v.path("id")), null),
                    ServiceRoutes.asIs())),
    TOOLS(
            "tools.list",
            "/tools",
            Rows.VIEWERS,
            List.of("agentType", "fields", "limit", "cursor"),
            v -> new Call(
                    HopRequest.read(
                            Service.TOOL,
                            "/tools",
                            query(params("agentType", PathSegments.check("agentType", v.text("agentType"), false)))),
                    items(v, Integer.MAX_VALUE))),
    TOOL(
            "tools.get",
            "/tools/{id}",
            Rows.VIEWERS,
            List.of("fields"),
            v -> new Call(
                    HopRequest.read(Service.TOOL, "/tools/" + PathSegments.segment("id", v.path("id")), null),
                    ServiceRoutes.item(v.text("fields")))),
    USAGE("llm.usage", "/usage", Rows.VIEWERS, List.of("from", "to", "groupBy"), HotReads::usage),
    ROADMAP_NODES(
            KnowledgeReads.ROADMAP_NODES,
            List.of("level", "parentId", "status", "fields", "limit", "cursor"),
            v -> new Call(
                    KnowledgeReads.ROADMAP_NODES.request(query(params(
                            "level",
                            RoadmapRoutesResource.oneOf("level", v.text("level"), RoadmapRoutesResource.LEVELS),
                            "parentId",
                            optionalId("parentId", v.text("parentId")),
                            "status",
                            RoadmapRoutesResource.oneOf("status", v.text("status"), RoadmapRoutesResource.STATUSES)))),
                    new ServiceRoutes.Shape.Keyset(v.text("fields"), v.count("limit"), v.text("cursor")))),
    ROADMAP_NODE(
            KnowledgeReads.ROADMAP_NODE,
            List.of("fields"),
            v -> new Call(
                    KnowledgeReads.ROADMAP_NODE.request(null, v.path("id")), ServiceRoutes.item(v.text("fields")))),
    ROADMAP_PROGRESS(
            KnowledgeReads.ROADMAP_PROGRESS,
            List.of(),
            v -> new Call(KnowledgeReads.ROADMAP_PROGRESS.request(null, v.path("id")), ServiceRoutes.asIs())),
    ROADMAP_TREE(KnowledgeReads.ROADMAP_TREE, List.of("depth"), HotReads::tree),
    ROADMAP_READY(
            KnowledgeReads.ROADMAP_READY,
            List.of("level", "under", "fields", "limit", "cursor"),
            v -> new Call(
                    KnowledgeReads.ROADMAP_READY.request(workQuery(v)), items(v, RoadmapRoutesResource.READY_MAX))),
    ROADMAP_ORDER(
            KnowledgeReads.ROADMAP_ORDER,
            List.of("level", "under"),
            v -> new Call(KnowledgeReads.ROADMAP_ORDER.request(workQuery(v)), ServiceRoutes.asIs())),
    CRITICAL_PATH(
            KnowledgeReads.CRITICAL_PATH,
            List.of(),
            v -> new Call(KnowledgeReads.CRITICAL_PATH.request(null, v.path("id")), ServiceRoutes.asIs()));

    /** The request's values by name: path placeholders, and query parameters (a count parsed as StrictParams does). */
    interface Values {
        String path(String name);

        String text(String name);

        Integer count(String name);

        /** The values JAX-RS already bound (typed: a count is an {@link Integer}), as name, value, name, value, …. */
        static Values of(Object... nameValues) {
            Map<String, Object> map = new HashMap<>();
            for (int i = 0; i < nameValues.length; i += 2) {
                map.put((String) nameValues[i], nameValues[i + 1]);
            }
            return new Values() {
                @Override
                public String path(String name) {
                    return (String) map.get(name);
                }

                @Override
                public String text(String name) {
                    return (String) map.get(name);
                }

                @Override
                public Integer count(String name) {
                    return (Integer) map.get(name);
                }
            };
        }
    }

    /** What one request of a row sends and how its answer is shaped. */
    record Call(HopRequest request, ServiceRoutes.Shape shape) {}

    private final String routeKey;
    /** The public path template, e.g. {@code /api/v1/agent-types/{type}} (the metrics' and audit lines' route). */
    private final String template;

    private final String route;
    private final Set<String> roles;
    private final Set<String> query;
    private final Function<Values, Call> call;

    HotReads(String routeKey, String path, Set<String> roles, List<String> query, Function<Values, Call> call) {
        this.routeKey = routeKey;
        this.template = ServiceRoutes.API_PREFIX + path;
        this.route = "GET " + template;
        this.roles = roles;
        this.query = Set.copyOf(query);
        this.call = call;
    }

    /** A knowledge-service read: its rate-limit key and template are the {@link KnowledgeReads} row's. */
    HotReads(KnowledgeReads knowledge, List<String> query, Function<Values, Call> call) {
        this(knowledge.routeKey(), knowledge.path(), Rows.VIEWERS, query, call);
    }

    /**
     * The JAX-RS way in: the outcome the fast route handed over for this request, else the row's read. Validation
     * problems are thrown (400 naming the parameter, through the usual mappers).
     */
    Uni<Response> read(ServiceRoutes routes, RoutingContext http, Values values) {
        Uni<Response> handedOver = FastReads.handedOver(http); // counted and answered by the fast route already
        if (handedOver != null) {
            return handedOver;
        }
        Call c = call(values);
        return routes.read(routeKey, route, c.request(), c.shape());
    }

    /** The hop and shape of one request; a malformed value throws (a 400 naming it). */
    Call call(Values values) {
        return call.apply(values);
    }

    String routeKey() {
        return routeKey;
    }

    String route() {
        return route;
    }

    String template() {
        return template;
    }

    /** The template as a Vert.x route path ({@code {type}} becomes {@code :type}). */
    String vertxPath() {
        return template.replaceAll("\\{([A-Za-z]+)}", ":$1");
    }

    Set<String> roles() {
        return roles;
    }

    Set<String> queryNames() {
        return query;
    }

    private static ServiceRoutes.Shape items(Values v, int downstreamMax) {
        return new ServiceRoutes.Shape.Items(v.text("fields"), v.count("limit"), v.text("cursor"), null, downstreamMax);
    }

    private static String optionalId(String field, String value) {
        return value == null ? null : ResourceIds.require(field, value);
    }

    private static String workQuery(Values v) {
        return query(params(
                "level",
                RoadmapRoutesResource.oneOf("level", v.text("level"), RoadmapRoutesResource.WORK_LEVELS),
                "under",
                optionalId("under", v.text("under"))));
    }

    private static Call tree(Values v) {
        Integer depth = v.count("depth");
        if (depth != null && (depth < 0 || depth > RoadmapRoutesResource.MAX_DEPTH)) {
            throw ProblemException.badRequest(
                    "depth", "depth must be between 0 and " + RoadmapRoutesResource.MAX_DEPTH);
        }
        return new Call(
                KnowledgeReads.ROADMAP_TREE.request(query(params("depth", depth)), v.path("id")), ServiceRoutes.asIs());
    }

    private static Call usage(Values v) {
        String f = PathSegments.check("from", v.text("from"), false);
        String t = PathSegments.check("to", v.text("to"), false);
        String g = PathSegments.check("groupBy", v.text("groupBy"), false);
        UsageRange.check(f, t, g).ifPresent(violation -> {
            throw ProblemException.badRequest(violation.field(), violation.message());
        });
        return new Call(
                HopRequest.read(Service.PROVIDER, "/v1/usage", query(params("from", f, "to", t, "groupBy", g))),
                ServiceRoutes.asIs());
    }

    /** Constants the rows use (an enum's own static fields are not yet set while its rows are built). */
    private static final class Rows {
        static final Set<String> VIEWERS = Set.of(Roles.VIEWER, Roles.OPERATOR, Roles.ADMIN);
        static final List<String> APPROVAL_STATUSES = List.of("pending", "approved", "rejected", "expired");
    }
}
