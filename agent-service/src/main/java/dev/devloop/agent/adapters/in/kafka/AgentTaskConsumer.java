package dev.devloop.agent.adapters.in.kafka;

import com.fasterxml.jackson.databind.JsonNode;
import dev.devloop.agent.ports.in.RunAgentUseCase;
import dev.devloop.agent.ports.in.SubmitTaskCommand;
import dev.devloop.contracts.Topics;
import dev.devloop.contracts.events.CloudEvent;
import dev.devloop.contracts.events.CloudEventCodec;
import dev.devloop.contracts.events.EventGate;
import dev.devloop.contracts.events.InvalidEventException;
import dev.devloop.contracts.events.KafkaEvents;
import dev.devloop.contracts.logging.LogFields;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.api.trace.Span;
import io.smallrye.common.annotation.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.EnumMap;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * Accepts tasks from {@code devloop.agent.tasks}: CloudEvents of type {@code dev.devloop.agent.task} with the
 * {@code tenant} extension and data {@code {agentType | agentId, input}}, each carrying a producer grant for that
 * tenant (header {@code devloop-grant}, issued by api-gateway). The run is only created here and executed off the
 * consumer thread, so a slow model never stalls the partition; the event id makes redeliveries no-ops. A malformed
 * or unauthorised record fails with the reason and goes to the dead-letter topic.
 */
@ApplicationScoped
class AgentTaskConsumer {
    private static final Logger LOG = Logger.getLogger(AgentTaskConsumer.class);
    static final String CHANNEL = "agent-tasks";
    static final String TYPE = "dev.devloop.agent.task";
    private static final CloudEventCodec.Limits LIMITS = new CloudEventCodec.Limits(128 * 1024, 200);

    private final RunAgentUseCase useCase;
    private final EventGate gate;
    private final Map<InvalidEventException.Kind, Counter> refused = new EnumMap<>(InvalidEventException.Kind.class);

    AgentTaskConsumer(RunAgentUseCase useCase, EventGate gate, MeterRegistry meters) {
        this.useCase = useCase;
        this.gate = gate;
        for (InvalidEventException.Kind kind : InvalidEventException.Kind.values()) {
            refused.put(
                    kind,
                    Counter.builder("devloop.agent.tasks.refused")
                            .description("task records dead-lettered: malformed, unsigned, forged or not allowed")
                            .tag("kind", kind.name().toLowerCase(java.util.Locale.ROOT))
                            .register(meters));
        }
    }

    @Incoming(CHANNEL)
    @Blocking
    void consume(ConsumerRecord<String, String> record) {
        CloudEvent event;
        try {
            event = KafkaEvents.accept(gate, Topics.AGENT_TASKS, record, LIMITS).event();
        } catch (InvalidEventException e) {
            refused.get(e.kind()).increment();
            throw e;
        }
        if (!TYPE.equals(event.type())) {
            refused.get(InvalidEventException.Kind.MALFORMED).increment();
            throw new InvalidEventException(
                    InvalidEventException.Kind.MALFORMED,
                    "the CloudEvent attribute 'type' must be " + TYPE + ", not '" + event.type() + "'");
        }
        JsonNode data = event.data();
        String agentRef = data.hasNonNull("agentId")
                ? data.path("agentId").asText()
                : data.path("agentType").asText(null);
        SubmitTaskCommand command = new SubmitTaskCommand(
                event.tenant(),
                event.id(),
                agentRef,
                data.path("input").asText(null),
                Span.current().getSpanContext().getTraceId());
        useCase.submitTask(command).ifPresent(run -> LogFields.of(
                        "tenant", event.tenant(),
                        "taskId", command.taskId(),
                        "runId", run.id(),
                        "agentId", run.agentId())
                .info(LOG, "task accepted"));
    }
}
