package dev.devloop.agent.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.devloop.agent.ports.out.DownstreamException;
import dev.devloop.agent.ports.out.ToolPort;
import dev.devloop.contracts.provider.ToolSpec;
import dev.devloop.contracts.tools.ToolInvocationRequest;
import dev.devloop.contracts.tools.ToolInvocationResult;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * An in-process tool port that lists tools the way tool-service's registry does — by the grants of its
 * shipped registrations ({@code allowedAgentTypes}, {@code "*"} for every type, a registered tenant type
 * matching none by name) — and refuses what tool-service refuses: a type outside a tool's grant (403), an
 * unknown tool (404), executing an agent-kind tool itself (400). The agent-kind grants are tool-service's
 * shipped ones: {@code handoff} for {@code *}, the spawning tools only for {@code system_health} and
 * {@code diagnostic} — the situation in which a tenant-registered parent type used to be denied
 * {@code spawn_agent}. Git tools answer like tool-service's over a configured repository, including the
 * secret scan: a commit whose written content holds an AWS access key id comes back {@code FAILED} with the
 * file and the rule, never the secret.
 */
public class GrantedTools implements ToolPort {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> DELIVERY = List.of("planner", "delivery", "repository", "pr_manager", "cicd");
    private static final List<String> GIT = List.of("repository", "delivery");
    /** tool → (kind, allowed agent types). */
    private static final Map<String, Grant> GRANTS = Map.ofEntries(
            Map.entry("store_fact", new Grant("knowledge", List.of("*"))),
            Map.entry(
                    "roadmap_read",
                    new Grant(
                            "knowledge",
                            List.of("planner", "delivery", "repository", "pr_manager", "cicd", "assistant"))),
            Map.entry("roadmap_mark_progress", new Grant("knowledge", DELIVERY)),
            Map.entry("roadmap_update_node", new Grant("knowledge", DELIVERY)),
            Map.entry("git_clone", new Grant("native", GIT)),
            Map.entry("git_branch", new Grant("native", GIT)),
            Map.entry("git_write_file", new Grant("native", GIT)),
            Map.entry("git_commit", new Grant("native", GIT)),
            Map.entry("git_push", new Grant("native", GIT)),
            Map.entry("forge_open_pr", new Grant("native", List.of("delivery", "repository", "pr_manager"))),
            Map.entry("spawn_agent", new Grant("agent", List.of("system_health", "diagnostic"))),
            Map.entry("coordinate_agents", new Grant("agent", List.of("system_health", "diagnostic"))),
            Map.entry("monitor_children", new Grant("agent", List.of("system_health", "diagnostic"))),
            Map.entry("retire_agent", new Grant("agent", List.of("system_health", "diagnostic"))),
            Map.entry("handoff", new Grant("agent", List.of("*"))));

    private record Grant(String kind, List<String> types) {
        boolean allows(String type) {
            return types.contains("*") || types.contains(type);
        }
    }

    private final List<ToolInvocationRequest> executed = new CopyOnWriteArrayList<>();
    private final List<String> executedTools = new CopyOnWriteArrayList<>();
    private final Map<String, String> written = new ConcurrentHashMap<>();

    /** The tool ids executed, in order (refusals excluded). */
    public List<String> executedTools() {
        return List.copyOf(executedTools);
    }

    public List<ToolInvocationRequest> executed() {
        return List.copyOf(executed);
    }

    @Override
    public List<ToolSpec> specsFor(String tenant, String agentType) {
        return GRANTS.entrySet().stream()
                .filter(e -> e.getValue().allows(agentType))
                .map(e -> new ToolSpec(
                        e.getKey(),
                        e.getKey() + " (registered in tool-service)",
                        JSON.createObjectNode().put("type", "object")))
                .sorted(java.util.Comparator.comparing(ToolSpec::name))
                .toList();
    }

    @Override
    public boolean writesGraph(String tenant, String toolId) {
        return toolId.startsWith("roadmap_") && !"roadmap_read".equals(toolId) || "store_fact".equals(toolId);
    }

    @Override
    public ToolInvocationResult invoke(String tenant, String toolId, ToolInvocationRequest request) {
        Grant grant = GRANTS.get(toolId);
        if (grant == null) {
            throw new DownstreamException("tool-service", 404, "no tool '" + toolId + "'", null);
        }
        if ("agent".equals(grant.kind())) {
            throw new DownstreamException("tool-service", 400, "'" + toolId + "' is executed by agent-service", null);
        }
        if (!grant.allows(request.agentType())) {
            throw new DownstreamException(
                    "tool-service",
                    403,
                    "agent type '" + request.agentType() + "' may not call '" + toolId + "'",
                    null);
        }
        JsonNode args = request.arguments() == null ? JSON.createObjectNode() : request.arguments();
        String feature = args.path("featureId").asText("");
        ObjectNode output = JSON.createObjectNode();
        String error = null;
        switch (toolId) {
            case "git_write_file" -> {
                written.put(tenant + "/" + feature, args.path("content").asText(""));
                output.put("path", args.path("path").asText()).put("written", true);
            }
            case "git_commit" -> {
                String content = written.getOrDefault(tenant + "/" + feature, "");
                if (content.matches("(?s).*AKIA[0-9A-Z]{16}.*")) {
                    error =
                            "secret scan refused the commit: [src/config.properties:1 aws-access-key-id]; remove the secrets "
                                    + "(and rewrite the commits holding them)";
                } else {
                    output.put("commit", "c0ffee" + Math.abs(content.hashCode() % 10_000))
                            .put("branch", "feature/" + feature);
                }
            }
            case "forge_open_pr" -> output.put("number", 7).put("state", "open");
            case "roadmap_read" ->
                output.put("id", args.path("id").asText())
                        .put("level", "feature")
                        .put("name", "Login page")
                        .put("status", "planned")
                        .put("description", "A login form that posts to /login");
            default -> output.put("ok", true);
        }
        executed.add(request);
        executedTools.add(toolId);
        return error == null
                ? new ToolInvocationResult(
                        "inv-" + executed.size(), toolId, ToolInvocationResult.SUCCEEDED, output, null, 1, false)
                : new ToolInvocationResult("inv-" + executed.size(), toolId, "FAILED", null, error, 1, false);
    }
}
