package dev.devloop.contracts.events;

import dev.devloop.contracts.Topics;
import java.util.Map;
import java.util.Set;

/**
 * Which cell member may produce on which topic (docs/design.md §3, "produced by"): a consumer accepts a signed
 * record only from these. Topics open to producers outside the cell accept a producer grant instead (issued by
 * api-gateway to a tenant admin, {@link EventSignatures#grant}). A topic missing here has no signed producer.
 */
public final class EventProducers {
    private static final Map<String, Set<String>> PRODUCERS = Map.ofEntries(
            Map.entry(Topics.AGENT_TASKS, Set.of()),
            Map.entry(Topics.AGENT_RESULTS, Set.of("agent-service")),
            Map.entry(Topics.AGENT_LIFECYCLE, Set.of("agent-service")),
            Map.entry(Topics.TOOL_INVOCATIONS, Set.of("tool-service")),
            Map.entry(Topics.KNOWLEDGE_FACTS, Set.of("agent-service", "tool-service")),
            Map.entry(Topics.SYSTEM_HEALTH, Set.of("agent-service", "tool-service")),
            Map.entry(Topics.PROVIDER_USAGE, Set.of("provider-gateway")),
            Map.entry(Topics.CACHE_INVALIDATION, Set.of("knowledge-service")),
            Map.entry(Topics.WEBHOOK_DELIVERIES, Set.of("api-gateway")),
            Map.entry(Topics.ROADMAP_EVENTS, Set.of("knowledge-service")),
            Map.entry(Topics.FORGE_EVENTS, Set.of("api-gateway", "tool-service")),
            Map.entry(Topics.GRANT_REVOCATIONS, Set.of("api-gateway")));

    /** Topics a tenant's own producers may write with a grant: tasks from any Kafka client. */
    private static final Set<String> GRANTABLE = Set.of(Topics.AGENT_TASKS);

    public static boolean mayProduce(String service, String topic) {
        return PRODUCERS.getOrDefault(topic, Set.of()).contains(service);
    }

    public static boolean grantable(String topic) {
        return GRANTABLE.contains(topic);
    }

    public static Set<String> producers(String topic) {
        return PRODUCERS.getOrDefault(topic, Set.of());
    }

    private EventProducers() {}
}
