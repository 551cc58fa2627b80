package dev.devloop.agent.ports.out;

import dev.devloop.agent.domain.Agent;

/** Outgoing port publishing agent lifecycle transitions on {@code devloop.agent.lifecycle}. */
public interface LifecyclePublisherPort {
    void spawned(Agent agent);

    void statusChanged(Agent agent);

    void retired(Agent agent);

    /** {@code dev.devloop.agent.handoff}: mirrored by knowledge-service as {@code HANDED_OFF_TO}. */
    void handedOff(dev.devloop.agent.domain.Handoff handoff);
}
