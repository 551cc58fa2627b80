package dev.devloop.agent.support;

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
 * An in-memory tool port with tool-service's semantics: only {@code store_fact} exists (registered as
 * writing the graph), agent types outside {@code allowed} are denied with 403, and a repeated idempotency
 * key is replayed. Types named {@code gated_*} also get {@code retrieve_fact}, which does not write.
 */
public class RecordingTools implements ToolPort {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final List<ToolInvocationRequest> executed = new CopyOnWriteArrayList<>();
    private final Map<String, ToolInvocationResult> byKey = new ConcurrentHashMap<>();
    private final List<String> allowed;
    private volatile String down;
    private final java.util.concurrent.atomic.AtomicInteger awayCalls = new java.util.concurrent.atomic.AtomicInteger();

    public RecordingTools(List<String> allowedAgentTypes) {
        this.allowed = List.copyOf(allowedAgentTypes);
    }

    public List<ToolInvocationRequest> executed() {
        return List.copyOf(executed);
    }

    public void reset() {
        executed.clear();
        byKey.clear();
        down = null;
        awayCalls.set(0);
    }

    /** The next {@code calls} invocations find tool-service still away after their whole wait window. */
    public void awayFor(int calls) {
        awayCalls.set(calls);
    }

    /** From now on calls of {@code toolId} fail as a tool-service outage (503), which fails the run. */
    public void outage(String toolId) {
        down = toolId;
    }

    @Override
    public List<ToolSpec> specsFor(String tenant, String agentType) {
        if (!allowed.contains(agentType)) {
            return List.of();
        }
        ObjectNode schema = JSON.createObjectNode().put("type", "object");
        schema.putObject("properties").putObject("entity").put("type", "string");
        if (agentType.startsWith("gated_")) {
            return List.of(
                    new ToolSpec("store_fact", "Store a fact", schema),
                    new ToolSpec("retrieve_fact", "Read a fact", schema));
        }
        return List.of(new ToolSpec("store_fact", "Store a fact", schema));
    }

    @Override
    public boolean writesGraph(String tenant, String toolId) {
        return "store_fact".equals(toolId);
    }

    @Override
    public ToolInvocationResult invoke(String tenant, String toolId, ToolInvocationRequest request) {
        if (toolId.equals(down)) {
            throw new DownstreamException("tool-service", 503, "tool-service unavailable", null);
        }
        if (awayCalls.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            // what the real adapter throws once a call's wait window has passed with tool-service still away
            throw new DownstreamException("tool-service", 503, "MongoDB is unavailable", null, true, null);
        }
        if (!"store_fact".equals(toolId)
                && !("retrieve_fact".equals(toolId) && request.agentType().startsWith("gated_"))) {
            throw new DownstreamException("tool-service", 404, "no tool '" + toolId + "'", null);
        }
        if (!allowed.contains(request.agentType())) {
            throw new DownstreamException("tool-service", 403, "agent type not allowed", null);
        }
        String key = tenant + "/" + request.runId() + "/" + request.idempotencyKey();
        ToolInvocationResult first = byKey.get(key);
        if (first != null) {
            return new ToolInvocationResult(
                    first.invocationId(), toolId, first.status(), first.output(), null, 0, true);
        }
        executed.add(request);
        ToolInvocationResult result = new ToolInvocationResult(
                "inv-" + executed.size(),
                toolId,
                ToolInvocationResult.SUCCEEDED,
                JSON.createObjectNode().put("tier", "long"),
                null,
                1,
                false);
        byKey.put(key, result);
        return result;
    }
}
