package dev.devloop.tools.application;

import static dev.devloop.tools.application.ToolArguments.bounded;
import static dev.devloop.tools.application.ToolArguments.optional;
import static dev.devloop.tools.application.ToolArguments.required;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.devloop.tools.ports.in.Identifiers;
import dev.devloop.tools.ports.in.ToolRefusal;
import dev.devloop.tools.ports.out.DownstreamException;
import dev.devloop.tools.ports.out.KnowledgePort;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The roadmap tools (docs/roadmap.md, "Agent tools") over knowledge-service's {@code /roadmap} API:
 * {@code roadmap_read} (node, tree, progress, ready set, dependency order, critical path) and the four
 * graph writes. knowledge-service's refusals (cycles, transitions, unknown nodes) become FAILED results
 * whose error the model reads; lists are cut at the call's {@code limit} and say so.
 */
public final class RoadmapTools {
    public static final String READ = "roadmap_read";
    public static final String CREATE_NODE = "roadmap_create_node";
    public static final String UPDATE_NODE = "roadmap_update_node";
    public static final String MARK_PROGRESS = "roadmap_mark_progress";
    public static final String LINK_RUN = "roadmap_link_run";
    static final int DEFAULT_TREE_DEPTH = 2;
    static final int MAX_TREE_DEPTH = 5;
    static final int DEFAULT_LIST_LIMIT = 50;
    static final int MAX_LIST_LIMIT = 200;
    /** knowledge-service's bound on a node's metadata. */
    static final int MAX_METADATA_BYTES = 16_384;
    /** Notes kept in {@code metadata.notes} by {@code roadmap_mark_progress}, newest last. */
    static final int MAX_NOTES = 20;

    private static final Set<String> NEEDS_ID =
            Set.of("node", "tree", "progress", "critical_path", "release_notes", "changelog");
    private static final List<String> CREATE_FIELDS =
            List.of("id", "level", "parentId", "name", "description", "estimate", "owner", "dependsOn");
    private static final List<String> UPDATE_FIELDS = List.of("name", "description", "owner", "estimate", "metadata");

    private final KnowledgePort knowledge;
    private final Clock clock;

    public RoadmapTools(KnowledgePort knowledge, Clock clock) {
        this.knowledge = knowledge;
        this.clock = clock;
    }

    public List<ToolExecutor> executors() {
        return List.of(
                ToolExecutor.ofKnowledge(READ, false, this::read),
                ToolExecutor.ofKnowledge(CREATE_NODE, true, this::create),
                ToolExecutor.ofKnowledge(UPDATE_NODE, true, this::update),
                ToolExecutor.ofKnowledge(MARK_PROGRESS, true, this::markProgress),
                ToolExecutor.ofKnowledge(LINK_RUN, true, this::linkRun));
    }

    private JsonNode read(ToolCall call) {
        JsonNode args = call.arguments();
        String view = args.path("view").asText();
        String id = NEEDS_ID.contains(view) ? required(args, "id") : null;
        String tenant = call.tenant();
        return downstream(() -> switch (view) {
            case "node" -> viewed(view, knowledge.roadmapNode(tenant, id).orElseThrow(() -> unknownNode(id)));
            case "tree" ->
                viewed(
                        view,
                        knowledge
                                .roadmapTree(tenant, id, bounded(args, "depth", DEFAULT_TREE_DEPTH, MAX_TREE_DEPTH))
                                .orElseThrow(() -> unknownNode(id)));
            case "progress" ->
                viewed(view, knowledge.roadmapProgress(tenant, id).orElseThrow(() -> unknownNode(id)));
            case "critical_path" ->
                viewed(
                        view,
                        knowledge
                                .roadmapCriticalPath(tenant, id)
                                .orElseThrow(() -> new ToolFailure("no such milestone: " + id)));
            case "ready" -> {
                int limit = bounded(args, "limit", DEFAULT_LIST_LIMIT, MAX_LIST_LIMIT);
                yield listed(
                        view,
                        "nodes",
                        knowledge.roadmapReady(tenant, optional(args, "level"), optional(args, "under"), limit),
                        limit);
            }
            case "order" -> {
                int limit = bounded(args, "limit", DEFAULT_LIST_LIMIT, MAX_LIST_LIMIT);
                yield listed(
                        view,
                        "order",
                        knowledge.roadmapOrder(tenant, optional(args, "level"), optional(args, "under")),
                        limit);
            }
            // markdown (Keep a Changelog) an agent can commit as it is, e.g. with git_write_file CHANGELOG.md
            case "release_notes" ->
                JsonNodeFactory.instance
                        .objectNode()
                        .put("view", view)
                        .put("id", id)
                        .put(
                                "markdown",
                                knowledge
                                        .roadmapReleaseNotes(tenant, id)
                                        .orElseThrow(() -> new ToolFailure("no such milestone: " + id)));
            case "changelog" ->
                JsonNodeFactory.instance
                        .objectNode()
                        .put("view", view)
                        .put("id", id)
                        .put(
                                "markdown",
                                knowledge
                                        .roadmapChangelog(tenant, id)
                                        .orElseThrow(() -> new ToolFailure(
                                                "no changelog for " + id + ": no such feature, or not merged yet")));
            default ->
                throw ToolRefusal.invalid(
                        "view",
                        "view must be one of node, tree, progress, ready, order, critical_path, release_notes, changelog");
        });
    }

    private JsonNode create(ToolCall call) {
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        for (String field : CREATE_FIELDS) {
            JsonNode value = call.arguments().get(field);
            if (value != null && !value.isNull()) {
                body.set(field, value);
            }
        }
        return downstream(() -> withoutTenant(knowledge.createRoadmapNode(call.tenant(), body)));
    }

    private JsonNode update(ToolCall call) {
        String id = required(call.arguments(), "id");
        ObjectNode patch = JsonNodeFactory.instance.objectNode();
        for (String field : UPDATE_FIELDS) {
            JsonNode value = call.arguments().get(field);
            if (value != null && !value.isNull()) {
                patch.set(field, value);
            }
        }
        if (patch.isEmpty()) {
            throw ToolRefusal.invalid("arguments", "give at least one of " + String.join(", ", UPDATE_FIELDS));
        }
        if (patch.has("metadata") && bytes(patch.get("metadata")) > MAX_METADATA_BYTES) {
            throw ToolRefusal.invalid("metadata", "metadata must be at most " + MAX_METADATA_BYTES + " bytes of JSON");
        }
        return downstream(() -> withoutTenant(knowledge.updateRoadmapNode(call.tenant(), id, patch)));
    }

    /**
     * Sets the status; a {@code note} is appended to the node's {@code metadata.notes} (the newest {@link #MAX_NOTES}
     * kept, fewer when the metadata would outgrow its bound) in the same PATCH. The metadata is read first and
     * written whole, so a concurrent change of that node's metadata between the two calls can be lost.
     */
    private JsonNode markProgress(ToolCall call) {
        JsonNode args = call.arguments();
        String id = required(args, "id");
        String status = required(args, "status");
        String note = optional(args, "note");
        return downstream(() -> {
            ObjectNode patch = JsonNodeFactory.instance.objectNode();
            if (note == null) {
                patch.put("status", status);
            } else {
                JsonNode node = knowledge.roadmapNode(call.tenant(), id).orElseThrow(() -> unknownNode(id));
                if (!status.equals(node.path("status").asText())) {
                    patch.put("status", status);
                }
                patch.set("metadata", withNote(node.path("metadata"), note, status, call));
            }
            return withoutTenant(knowledge.updateRoadmapNode(call.tenant(), id, patch));
        });
    }

    private ObjectNode withNote(JsonNode metadata, String note, String status, ToolCall call) {
        ObjectNode out = metadata.isObject() ? metadata.deepCopy() : JsonNodeFactory.instance.objectNode();
        JsonNode existing = out.get("notes");
        if (existing != null && !existing.isNull() && !existing.isArray()) {
            throw new ToolFailure(
                    "the node's metadata.notes is not a list; update the metadata with roadmap_update_node");
        }
        ArrayNode notes =
                existing == null || existing.isNull() ? JsonNodeFactory.instance.arrayNode() : (ArrayNode) existing;
        ObjectNode entry = notes.addObject()
                .put("at", clock.instant().toString())
                .put("status", status)
                .put("note", note);
        if (call.agentId() != null) {
            entry.put("agentId", call.agentId());
        }
        if (call.runId() != null) {
            entry.put("runId", call.runId());
        }
        out.set("notes", notes);
        while (notes.size() > MAX_NOTES || (notes.size() > 1 && bytes(out) > MAX_METADATA_BYTES)) {
            notes.remove(0);
        }
        if (bytes(out) > MAX_METADATA_BYTES) {
            throw new ToolFailure(
                    "the node's metadata is full (" + MAX_METADATA_BYTES + " bytes); the note does not fit");
        }
        return out;
    }

    private JsonNode linkRun(ToolCall call) {
        String id = required(call.arguments(), "id");
        String runId = optional(call.arguments(), "runId");
        if (runId == null) {
            runId = Identifiers.required("runId", call.runId(), Identifiers.REFERENCE);
        }
        ObjectNode patch = JsonNodeFactory.instance.objectNode();
        patch.putObject("links").putArray("runs").add(runId);
        return downstream(() -> withoutTenant(knowledge.updateRoadmapNode(call.tenant(), id, patch)));
    }

    private static JsonNode viewed(String view, JsonNode answer) {
        JsonNode out = withoutTenant(answer);
        if (out instanceof ObjectNode object) {
            object.put("view", view);
            return object;
        }
        ObjectNode wrapped = JsonNodeFactory.instance.objectNode().put("view", view);
        wrapped.set("result", out);
        return wrapped;
    }

    private static ObjectNode listed(String view, String field, JsonNode items, int limit) {
        ObjectNode out = JsonNodeFactory.instance.objectNode().put("view", view);
        ArrayNode list = out.putArray(field);
        for (JsonNode item : items) {
            if (list.size() >= limit) {
                break;
            }
            list.add(withoutTenant(item));
        }
        out.put("count", list.size()).put("truncated", items.size() > limit);
        return out;
    }

    private static JsonNode withoutTenant(JsonNode node) {
        JsonNode copy = node.deepCopy();
        if (copy instanceof ObjectNode object) {
            object.remove("tenant");
        }
        return copy;
    }

    private static ToolFailure unknownNode(String id) {
        return new ToolFailure("no such roadmap node: " + id);
    }

    private static JsonNode downstream(Supplier<JsonNode> call) {
        try {
            return call.get();
        } catch (DownstreamException e) {
            throw new ToolFailure(e.getMessage());
        }
    }

    private static int bytes(JsonNode node) {
        return node.toString().getBytes(StandardCharsets.UTF_8).length;
    }
}
