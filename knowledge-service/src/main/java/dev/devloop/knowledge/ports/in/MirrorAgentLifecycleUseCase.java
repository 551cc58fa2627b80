package dev.devloop.knowledge.ports.in;

import dev.devloop.knowledge.domain.AgentLifecycleEvent;

/** Incoming port: mirror one agent lifecycle event into the graph, once per event id. */
public interface MirrorAgentLifecycleUseCase {
    /** True when applied now, false when the event id was already applied. */
    boolean mirror(String eventId, AgentLifecycleEvent event);
}
