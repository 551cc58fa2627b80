package dev.devloop.agent.application;

import static dev.devloop.agent.application.ToolArguments.JSON;
import static dev.devloop.agent.application.ToolArguments.MAX_NAME;
import static dev.devloop.agent.application.ToolArguments.object;
import static dev.devloop.agent.application.ToolArguments.refused;
import static dev.devloop.agent.application.ToolArguments.text;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.devloop.agent.domain.AgentDefinition;
import dev.devloop.agent.domain.ComponentHealth;
import dev.devloop.agent.domain.Run;
import dev.devloop.agent.ports.out.FactsPort;
import dev.devloop.agent.ports.out.HealthEventsPort;
import dev.devloop.contracts.provider.ToolSpec;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code update_health_status {component, status: UP|DEGRADED|DOWN, detail?, metrics?}}, for the health reporter
 * types: status, detail and metrics written as facts (keyed by the call) and published on devloop.system.health.
 */
final class UpdateHealthStatusTool implements OrchestrationTool {
    private static final int MAX_METRICS = 20;
    private final FactsPort facts;
    private final HealthEventsPort health;
    private final List<String> reporters;
    private final Duration factTtl;
    private final Clock clock;

    UpdateHealthStatusTool(
            FactsPort facts, HealthEventsPort health, List<String> reporters, Duration factTtl, Clock clock) {
        this.facts = facts;
        this.health = health;
        this.reporters = List.copyOf(reporters);
        this.factTtl = factTtl;
        this.clock = clock;
    }

    @Override
    public String name() {
        return OrchestrationTools.HEALTH;
    }

    @Override
    public Optional<ToolSpec> specFor(AgentDefinition d) {
        if (!reporters.contains(d.type())) {
            return Optional.empty();
        }
        ObjectNode p = object();
        ObjectNode props = p.with("properties");
        props.putObject("component").put("type", "string").put("maxLength", 128);
        props.putObject("status")
                .put("type", "string")
                .putArray("enum")
                .add("UP")
                .add("DEGRADED")
                .add("DOWN");
        props.putObject("detail").put("type", "string").put("maxLength", 2000);
        props.putObject("metrics")
                .put("type", "object")
                .putObject("additionalProperties")
                .put("type", "number");
        p.putArray("required").add("component").add("status");
        return Optional.of(new ToolSpec(
                name(),
                "Record a component's health status (and metrics) as facts and publish it on devloop.system.health.",
                p));
    }

    @Override
    public ObjectNode execute(Run run, AgentDefinition d, JsonNode args, String key) {
        if (!reporters.contains(d.type())) {
            throw refused(403, d.type() + " may not call " + name() + " (allowed: " + reporters + ")");
        }
        String component = text(args, "component", true, 128);
        String statusText = text(args, "status", true, 16);
        ComponentHealth.Status status;
        try {
            status = ComponentHealth.Status.valueOf(statusText.toUpperCase());
        } catch (IllegalArgumentException e) {
            throw refused(400, "status must be UP, DEGRADED or DOWN");
        }
        String detail = text(args, "detail", false, 2000);
        Map<String, Double> metrics = new LinkedHashMap<>();
        JsonNode m = args.path("metrics");
        if (m.isObject()) {
            Iterator<Map.Entry<String, JsonNode>> it = m.fields();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> e = it.next();
                if (metrics.size() >= MAX_METRICS
                        || !e.getValue().isNumber()
                        || e.getKey().length() > MAX_NAME) {
                    throw refused(400, "metrics must map at most " + MAX_METRICS + " short names to numbers");
                }
                metrics.put(e.getKey(), e.getValue().asDouble());
            }
        }
        ComponentHealth h = new ComponentHealth(component, null, status, detail, metrics, clock.instant());
        List<String> recorded = recordHealth(facts, run.tenant(), h, factTtl, key);
        health.status(run.tenant(), h, run.agentId());
        ObjectNode out = JSON.createObjectNode().put("component", component).put("status", status.name());
        ArrayNode attrs = out.putArray("recorded");
        recorded.forEach(attrs::add);
        return out;
    }

    /** Writes a component's status, detail and metrics as facts; returns the attributes written. */
    static List<String> recordHealth(FactsPort facts, String tenant, ComponentHealth h, Duration ttl, String key) {
        Long ttlSeconds = ttl == null || ttl.isZero() ? null : ttl.toSeconds();
        List<String> attributes = new ArrayList<>();
        facts.record(
                tenant,
                h.component(),
                "health_status",
                JSON.getNodeFactory().textNode(h.status().name()),
                ttlSeconds,
                key + "/health_status");
        attributes.add("health_status");
        if (h.detail() != null) {
            facts.record(
                    tenant,
                    h.component(),
                    "health_detail",
                    JSON.getNodeFactory().textNode(h.detail()),
                    ttlSeconds,
                    key + "/health_detail");
            attributes.add("health_detail");
        }
        facts.record(
                tenant,
                h.component(),
                "health_checked_at",
                JSON.getNodeFactory().textNode(h.checkedAt().toString()),
                ttlSeconds,
                key + "/health_checked_at");
        attributes.add("health_checked_at");
        for (Map.Entry<String, Double> metric : h.metrics().entrySet()) {
            String attribute = "metric_" + metric.getKey();
            facts.record(
                    tenant,
                    h.component(),
                    attribute,
                    JSON.getNodeFactory().numberNode(metric.getValue()),
                    ttlSeconds,
                    key + "/" + attribute);
            attributes.add(attribute);
        }
        return attributes;
    }
}
