package dev.devloop.contracts;

/** Kafka topic names: the contract of docs/design.md §3. Poison messages go to {@code <topic>.dlq}. */
public final class Topics {
    public static final String AGENT_TASKS = "devloop.agent.tasks";
    public static final String AGENT_RESULTS = "devloop.agent.results";
    public static final String AGENT_LIFECYCLE = "devloop.agent.lifecycle";
    public static final String TOOL_INVOCATIONS = "devloop.tool.invocations";
    public static final String KNOWLEDGE_FACTS = "devloop.knowledge.facts";
    public static final String SYSTEM_HEALTH = "devloop.system.health";
    public static final String PROVIDER_USAGE = "devloop.provider.usage";
    public static final String CACHE_INVALIDATION = "devloop.cache.invalidation";
    public static final String WEBHOOK_DELIVERIES = "devloop.webhook.deliveries";
    public static final String ROADMAP_EVENTS = "devloop.roadmap.events";
    public static final String FORGE_EVENTS = "devloop.forge.events";
    /** Producer grants revoked before they expire (api-gateway → agent-service); key = grant id. */
    public static final String GRANT_REVOCATIONS = "devloop.grants.revocations";

    public static String deadLetter(String topic) {
        return topic + ".dlq";
    }

    private Topics() {}
}
