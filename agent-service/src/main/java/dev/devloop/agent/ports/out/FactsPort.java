package dev.devloop.agent.ports.out;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Outgoing port recording facts in knowledge-service (asynchronously, on {@code devloop.knowledge.facts}).
 * {@code dedupKey} makes a repeated write (a resumed run) the same event, which knowledge-service
 * applies once; {@code ttlSeconds} null means long-term.
 */
public interface FactsPort {
    void record(String tenant, String entity, String attribute, JsonNode value, Long ttlSeconds, String dedupKey);
}
