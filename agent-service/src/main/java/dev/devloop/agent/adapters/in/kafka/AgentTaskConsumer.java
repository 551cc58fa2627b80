package dev.devloop.agent.adapters.in.kafka;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.devloop.agent.ports.in.RunAgentUseCase;
import dev.devloop.agent.ports.in.SubmitTaskCommand;
import dev.devloop.contracts.Tenants;
import io.opentelemetry.api.trace.Span;
import io.quarkus.logging.Log;
import io.smallrye.common.annotation.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Accepts tasks from {@code devloop.agent.tasks}: CloudEvents of type {@code dev.devloop.agent.task}
 * with the {@code tenant} extension and data {@code {agentType | agentId, input}}. The run is only
 * created here and executed off the consumer thread, so a slow model never stalls the partition;
 * the event id makes redeliveries no-ops. A malformed event fails and goes to the dead-letter topic.
 */
@ApplicationScoped
class AgentTaskConsumer {
    static final String CHANNEL = "agent-tasks";
    static final String TYPE = "dev.devloop.agent.task";
    private final RunAgentUseCase useCase;
    private final ObjectMapper json;

    AgentTaskConsumer(RunAgentUseCase useCase, ObjectMapper json) {
        this.useCase = useCase;
        this.json = json;
    }

    @Incoming(CHANNEL)
    @Blocking
    void consume(String payload) throws IOException {
        JsonNode event = json.readTree(payload);
        if (event == null || !event.isObject()) {
            throw new IllegalArgumentException("task event is not a JSON object");
        }
        if (!TYPE.equals(event.path("type").asText())) {
            throw new IllegalArgumentException(
                    "unexpected event type '" + event.path("type").asText() + "'");
        }
        String tenant = Tenants.requireEventAttribute(event.path("tenant").asText(null));
        JsonNode data = event.path("data");
        String agentRef = data.hasNonNull("agentId")
                ? data.path("agentId").asText()
                : data.path("agentType").asText(null);
        SubmitTaskCommand command = new SubmitTaskCommand(
                tenant,
                event.path("id").asText(null),
                agentRef,
                data.path("input").asText(null),
                Span.current().getSpanContext().getTraceId());
        useCase.submitTask(command)
                .ifPresent(run -> Log.infof(
                        "task accepted tenant=%s task=%s run=%s agent=%s",
                        tenant, command.taskId(), run.id(), run.agentId()));
    }
}
