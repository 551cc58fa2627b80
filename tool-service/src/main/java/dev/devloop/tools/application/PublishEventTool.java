package dev.devloop.tools.application;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.devloop.tools.domain.ToolKind;
import dev.devloop.tools.ports.out.DownstreamException;
import dev.devloop.tools.ports.out.EventPublisherPort;
import java.util.Set;
import java.util.TreeSet;

/**
 * {@code publish_event}: publishes a CloudEvent for the calling tenant on one of the configured
 * topics; any other topic is denied by rule {@code allowedTopics}.
 */
public class PublishEventTool extends SingleTool {
    public static final String NAME = "publish_event";
    /** Types agents may publish are namespaced so they cannot impersonate service events. */
    public static final String TYPE_PREFIX = "dev.devloop.agent.";

    private final EventPublisherPort publisher;
    private final Set<String> allowedTopics;

    public PublishEventTool(EventPublisherPort publisher, Set<String> allowedTopics) {
        super(NAME, ToolKind.NATIVE);
        this.publisher = publisher;
        this.allowedTopics = Set.copyOf(allowedTopics);
    }

    @Override
    public JsonNode execute(ToolCall call) {
        JsonNode args = call.arguments();
        String topic = args.path("topic").asText();
        if (!allowedTopics.contains(topic)) {
            throw ToolProblems.denied(
                    "allowedTopics",
                    "topic",
                    "agents may publish only to " + new TreeSet<>(allowedTopics) + ", not '" + topic + "'");
        }
        String type = TYPE_PREFIX + args.path("type").asText();
        String key = args.path("key").asText();
        try {
            String id = publisher.publish(topic, key, call.tenant(), type, key, args.get("data"));
            return JsonNodeFactory.instance
                    .objectNode()
                    .put("eventId", id)
                    .put("topic", topic)
                    .put("type", type);
        } catch (DownstreamException e) {
            throw new ToolFailure(e.getMessage());
        }
    }
}
