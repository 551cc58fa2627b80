package dev.devloop.knowledge.adapters.in.kafka;

import dev.devloop.contracts.Topics;
import dev.devloop.contracts.events.CloudEvent;
import dev.devloop.contracts.problem.ProblemException;
import dev.devloop.knowledge.domain.AgentLifecycleEvent;
import dev.devloop.knowledge.ports.in.KnowledgeRefusal;
import dev.devloop.knowledge.ports.in.MirrorAgentLifecycleUseCase;
import io.quarkus.logging.Log;
import io.smallrye.reactive.messaging.annotations.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Mirrors {@code devloop.agent.lifecycle} (spawned, status, retired, handoff) into the graph; other
 * event types are ignored; unusable events, and records agent-service did not sign ({@link EventIntake}), go to
 * {@code devloop.agent.lifecycle.dlq}.
 */
@ApplicationScoped
public class AgentLifecycleConsumer {
    static final String CHANNEL = "agent-lifecycle";
    static final String SPAWNED = "dev.devloop.agent.spawned";
    static final String STATUS = "dev.devloop.agent.status";
    static final String RETIRED = "dev.devloop.agent.retired";
    static final String HANDOFF = "dev.devloop.agent.handoff";

    private final ConsumerDrain drain;
    private final EventIntake events;
    private final MirrorAgentLifecycleUseCase mirror;

    public AgentLifecycleConsumer(EventIntake events, MirrorAgentLifecycleUseCase mirror, ConsumerDrain drain) {
        this.drain = drain;
        this.events = events;
        this.mirror = mirror;
    }

    @Incoming(CHANNEL)
    @Blocking
    public void consume(ConsumerRecord<String, String> record) {
        drain.run(() -> apply(record));
    }

    private void apply(ConsumerRecord<String, String> record) {
        try {
            CloudEvent event = events.accept(Topics.AGENT_LIFECYCLE, record);
            AgentLifecycleEvent lifecycle = toLifecycle(event);
            if (lifecycle == null) {
                Log.debugf("lifecycle event %s of type %s ignored", event.id(), event.type());
                return;
            }
            try {
                mirror.mirror(event.id(), lifecycle);
            } catch (KnowledgeRefusal | ProblemException e) {
                throw EventRejections.rejected(event.id(), e, false);
            }
        } catch (RuntimeException e) {
            Log.warnf("agent lifecycle event %s: %s", drain.fate(), e.getMessage());
            throw e;
        }
    }

    private static AgentLifecycleEvent toLifecycle(CloudEvent e) {
        String tenant = e.tenant();
        switch (e.type()) {
            case SPAWNED:
                return new AgentLifecycleEvent.Spawned(
                        tenant,
                        EventData.requiredText(e, "agentId"),
                        EventData.requiredText(e, "agentType"),
                        EventData.optionalText(e, "level"),
                        EventData.optionalText(e, "parentId"),
                        EventData.optionalText(e, "status"),
                        EventData.optionalText(e, "createdAt"));
            case STATUS:
                return new AgentLifecycleEvent.StatusChanged(
                        tenant, EventData.requiredText(e, "agentId"), EventData.requiredText(e, "status"));
            case RETIRED:
                return new AgentLifecycleEvent.Retired(
                        tenant, EventData.requiredText(e, "agentId"), EventData.optionalText(e, "retiredAt"));
            case HANDOFF:
                return new AgentLifecycleEvent.HandedOff(
                        tenant,
                        EventData.requiredText(e, "fromAgentId"),
                        EventData.requiredText(e, "handoffId"),
                        EventData.requiredText(e, "toAgentId"),
                        EventData.optionalText(e, "toAgentType"),
                        EventData.optionalText(e, "task"));
            default:
                return null;
        }
    }
}
