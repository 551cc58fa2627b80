package dev.devloop.knowledge.adapters.in.kafka;

import dev.devloop.contracts.events.CloudEvent;
import dev.devloop.contracts.problem.ProblemException;
import dev.devloop.knowledge.domain.AgentLifecycleEvent;
import dev.devloop.knowledge.ports.in.KnowledgeRefusal;
import dev.devloop.knowledge.ports.in.MirrorAgentLifecycleUseCase;
import io.quarkus.logging.Log;
import io.smallrye.reactive.messaging.annotations.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Mirrors {@code devloop.agent.lifecycle} (spawned, status, retired, handoff) into the graph; other
 * event types are ignored, unusable events go to {@code devloop.agent.lifecycle.dlq}.
 */
@ApplicationScoped
public class AgentLifecycleConsumer {
    static final String CHANNEL = "agent-lifecycle";
    static final String SPAWNED = "dev.devloop.agent.spawned";
    static final String STATUS = "dev.devloop.agent.status";
    static final String RETIRED = "dev.devloop.agent.retired";
    static final String HANDOFF = "dev.devloop.agent.handoff";

    private final ConsumerDrain drain;
    private final CloudEventReader events;
    private final MirrorAgentLifecycleUseCase mirror;

    public AgentLifecycleConsumer(CloudEventReader events, MirrorAgentLifecycleUseCase mirror, ConsumerDrain drain) {
        this.drain = drain;
        this.events = events;
        this.mirror = mirror;
    }

    @Incoming(CHANNEL)
    @Blocking
    public void consume(String payload) {
        drain.run(() -> apply(payload));
    }

    private void apply(String payload) {
        try {
            CloudEvent event = events.read(payload);
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

    private AgentLifecycleEvent toLifecycle(CloudEvent e) {
        String tenant = e.tenant();
        switch (e.type()) {
            case SPAWNED:
                return new AgentLifecycleEvent.Spawned(
                        tenant,
                        events.requiredText(e, "agentId"),
                        events.requiredText(e, "agentType"),
                        events.optionalText(e, "level"),
                        events.optionalText(e, "parentId"),
                        events.optionalText(e, "status"),
                        events.optionalText(e, "createdAt"));
            case STATUS:
                return new AgentLifecycleEvent.StatusChanged(
                        tenant, events.requiredText(e, "agentId"), events.requiredText(e, "status"));
            case RETIRED:
                return new AgentLifecycleEvent.Retired(
                        tenant, events.requiredText(e, "agentId"), events.optionalText(e, "retiredAt"));
            case HANDOFF:
                return new AgentLifecycleEvent.HandedOff(
                        tenant,
                        events.requiredText(e, "fromAgentId"),
                        events.requiredText(e, "handoffId"),
                        events.requiredText(e, "toAgentId"),
                        events.optionalText(e, "toAgentType"),
                        events.optionalText(e, "task"));
            default:
                return null;
        }
    }
}
