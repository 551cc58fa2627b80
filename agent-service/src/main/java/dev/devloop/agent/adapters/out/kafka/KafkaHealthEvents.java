package dev.devloop.agent.adapters.out.kafka;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.devloop.agent.domain.ComponentHealth;
import dev.devloop.agent.ports.out.HealthEventsPort;
import dev.devloop.contracts.Topics;
import dev.devloop.contracts.events.CloudEvent;
import dev.devloop.contracts.events.KafkaEvents;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;

/**
 * Publishes component status ({@code dev.devloop.system.health.status}, key = component) and check
 * reports ({@code dev.devloop.system.health.report}, key = check id) on {@code devloop.system.health},
 * and counts checked components in {@code devloop_agent_health_components_checked_total}.
 */
@ApplicationScoped
class KafkaHealthEvents implements HealthEventsPort {
    static final String CHANNEL = "system-health";
    private final Emitter<String> emitter;
    private final ObjectMapper json;
    private final KafkaEvents events;
    private final MeterRegistry meters;

    KafkaHealthEvents(
            @Channel(CHANNEL) Emitter<String> emitter, ObjectMapper json, KafkaEvents events, MeterRegistry meters) {
        this.emitter = emitter;
        this.json = json;
        this.events = events;
        this.meters = meters;
    }

    @Override
    public void status(String tenant, ComponentHealth h, String checkedBy) {
        meters.counter(
                        "devloop_agent_health_components_checked_total",
                        "status",
                        h.status().name().toLowerCase())
                .increment();
        ObjectNode data = json.createObjectNode()
                .put("component", h.component())
                .put("status", h.status().name())
                .put("detail", h.detail())
                .put("url", h.url())
                .put("checkedBy", checkedBy)
                .put("checkedAt", h.checkedAt().toString());
        ObjectNode metrics = data.putObject("metrics");
        h.metrics().forEach(metrics::put);
        CloudEvent event =
                CloudEvent.of(AgentEvents.SOURCE, "dev.devloop.system.health.status", h.component(), tenant, data);
        emitter.send(events.message(Topics.SYSTEM_HEALTH, h.component(), event));
    }

    @Override
    public void report(String tenant, String checkId, String agentId, String report, int unhealthy) {
        ObjectNode data = json.createObjectNode()
                .put("checkId", checkId)
                .put("agentId", agentId)
                .put("unhealthy", unhealthy)
                .put("report", report);
        CloudEvent event = CloudEvent.of(AgentEvents.SOURCE, "dev.devloop.system.health.report", checkId, tenant, data);
        emitter.send(events.message(Topics.SYSTEM_HEALTH, checkId, event));
    }
}
