package dev.devloop.gateway.domain;

import java.util.Locale;
import java.util.Optional;

/** A live-event channel a client may subscribe to; each is fed by one Kafka topic. */
public enum EventChannel {
    LIFECYCLE("devloop.agent.lifecycle"),
    RESULTS("devloop.agent.results"),
    TOOLS("devloop.tool.invocations"),
    HEALTH("devloop.system.health"),
    USAGE("devloop.provider.usage"),
    ROADMAP("devloop.roadmap.events");

    private final String topic;

    EventChannel(String topic) {
        this.topic = topic;
    }

    /** The Kafka topic behind the channel (DESIGN.md §3). */
    public String topic() {
        return topic;
    }

    /** The name clients use in {@code channels=}. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The channel of a client-supplied name, if there is one. */
    public static Optional<EventChannel> ofName(String name) {
        for (EventChannel channel : values()) {
            if (channel.wireName().equals(name)) {
                return Optional.of(channel);
            }
        }
        return Optional.empty();
    }

    /** The channel fed by a topic, if there is one; a cell's topic prefix ({@code eu-1.devloop.…}) is ignored. */
    public static Optional<EventChannel> ofTopic(String topic) {
        for (EventChannel channel : values()) {
            if (topic != null && (topic.equals(channel.topic) || topic.endsWith("." + channel.topic))) {
                return Optional.of(channel);
            }
        }
        return Optional.empty();
    }
}
