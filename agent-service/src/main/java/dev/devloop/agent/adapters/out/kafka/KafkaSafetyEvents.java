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
import dev.devloop.contracts.logging.LogFields;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.jboss.logging.Logger;

/**
 * Announces guardrail violations and tripped wires on {@code devloop.agent.lifecycle} (keyed by
 * agent id, types {@code dev.devloop.agent.guardrail} and {@code dev.devloop.agent.tripwire}) and
 * counts them in {@code devloop_agent_guardrail_violations_total} and {@code devloop_agent_tripwires_total}.
 */
@ApplicationScoped
class KafkaSafetyEvents implements SafetyEventsPort {
    private static final Logger LOG = Logger.getLogger(KafkaSafetyEvents.class);
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
        counted(run, decision, decision.mode()).info(LOG, "guardrail violated");
        ObjectNode data = base(run)
                .put("policy", decision.policy())
                .put("stage", decision.stage().name())
                .put("mode", decision.mode().name())
                .put("reason", decision.reason());
        send(run, "dev.devloop.agent.guardrail", data);
    }

    @Override
    public void guardrailLogged(Run run, GuardrailDecision decision) {
        counted(run, decision, "LOG").info(LOG, "guardrail violated, logged only");
    }

    /** Counts the violation; its log fields, with {@code mode} as logged. */
    private LogFields counted(Run run, GuardrailDecision decision, Object mode) {
        meters.counter(
                        "devloop_agent_guardrail_violations_total",
                        "policy",
                        decision.policy(),
                        "stage",
                        decision.stage().name().toLowerCase(),
                        "mode",
                        decision.mode().name().toLowerCase())
                .increment();
        return LogFields.of(
                "tenant", run.tenant(),
                "runId", run.id(),
                "policy", decision.policy(),
                "mode", mode,
                "reason", decision.reason());
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
        LogFields.of(
                        "tenant", run.tenant(),
                        "runId", run.id(),
                        "kind", trip.kind(),
                        "action", trip.action(),
                        "reason", trip.reason())
                .warn(LOG, "tripwire fired");
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
