package dev.devloop.agent.adapters.out.kafka;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.devloop.agent.domain.Run;
import dev.devloop.agent.domain.safety.GuardrailDecision;
import dev.devloop.agent.domain.safety.Trip;
import dev.devloop.agent.ports.out.SafetyEventsPort;
import dev.devloop.contracts.Topics;
import dev.devloop.contracts.events.CloudEvent;
import dev.devloop.contracts.events.KafkaEvents;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;

/**
 * Announces guardrail violations and tripped wires on {@code devloop.agent.lifecycle} (keyed by
 * agent id, types {@code dev.devloop.agent.guardrail} and {@code dev.devloop.agent.tripwire}) and
 * counts them in {@code devloop_agent_guardrail_violations_total} and {@code devloop_agent_tripwires_total}.
 */
@ApplicationScoped
class KafkaSafetyEvents implements SafetyEventsPort {
    private final Emitter<String> emitter;
    private final ObjectMapper json;
    private final KafkaEvents events;
    private final MeterRegistry meters;

    KafkaSafetyEvents(
            @Channel(KafkaLifecyclePublisher.CHANNEL) Emitter<String> emitter,
            ObjectMapper json,
            KafkaEvents events,
            MeterRegistry meters) {
        this.emitter = emitter;
        this.json = json;
        this.events = events;
        this.meters = meters;
    }

    @Override
    public void guardrailViolated(Run run, GuardrailDecision decision) {
        meters.counter(
                        "devloop_agent_guardrail_violations_total",
                        "policy",
                        decision.policy(),
                        "stage",
                        decision.stage().name().toLowerCase(),
                        "mode",
                        decision.mode().name().toLowerCase())
                .increment();
        Log.infof(
                "guardrail %s violated run=%s mode=%s reason=%s",
                decision.policy(), run.id(), decision.mode(), decision.reason());
        ObjectNode data = base(run)
                .put("policy", decision.policy())
                .put("stage", decision.stage().name())
                .put("mode", decision.mode().name())
                .put("reason", decision.reason());
        send(run, "dev.devloop.agent.guardrail", data);
    }

    @Override
    public void guardrailLogged(Run run, GuardrailDecision decision) {
        meters.counter(
                        "devloop_agent_guardrail_violations_total",
                        "policy",
                        decision.policy(),
                        "stage",
                        decision.stage().name().toLowerCase(),
                        "mode",
                        decision.mode().name().toLowerCase())
                .increment();
        Log.infof(
                "guardrail %s violated run=%s mode=LOG (logged only) reason=%s",
                decision.policy(), run.id(), decision.reason());
    }

    @Override
    public void tripped(Run run, Trip trip) {
        meters.counter(
                        "devloop_agent_tripwires_total",
                        "kind",
                        trip.kind().name().toLowerCase(),
                        "action",
                        trip.action().name().toLowerCase())
                .increment();
        Log.warnf("tripwire %s fired run=%s action=%s reason=%s", trip.kind(), run.id(), trip.action(), trip.reason());
        ObjectNode data = base(run)
                .put("kind", trip.kind().name())
                .put("action", trip.action().name())
                .put("reason", trip.reason());
        send(run, "dev.devloop.agent.tripwire", data);
    }

    private ObjectNode base(Run run) {
        return json.createObjectNode()
                .put("agentId", run.agentId())
                .put("agentType", run.agentType())
                .put("runId", run.id());
    }

    private void send(Run run, String type, ObjectNode data) {
        CloudEvent event = CloudEvent.of(AgentEvents.SOURCE, type, run.agentId(), run.tenant(), data);
        emitter.send(events.message(Topics.AGENT_LIFECYCLE, run.agentId(), event));
    }
}
