package dev.devloop.agent.adapters.out.kafka;

import dev.devloop.contracts.events.EventNames;

/** The source every event agent-service produces names (docs/design.md §3, names). */
final class AgentEvents {
    static final String SOURCE = EventNames.source("agent-service");

    private AgentEvents() {}
}
