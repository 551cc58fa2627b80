package dev.devloop.knowledge.adapters.in.kafka;

import dev.devloop.contracts.Topics;
import io.quarkus.test.junit.QuarkusTestProfile;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;

/**
 * The facts and lifecycle channels read topics and a group of their own (no other test's records are touched), with
 * {@code devloop.events.require-signature=false}. One profile for {@link SignaturesOffEventsTest} and
 * {@link StoppingConsumersTest}, so they share one application start (each profile is an augmentation and a restart).
 * StoppingConsumersTest stops the consumers for good: it must run last of the two, which the class-name order within a
 * profile gives (a test that ran after it would time out waiting for its events, not pass).
 */
public class PrivateTopics implements QuarkusTestProfile {
    static final String RUN = UUID.randomUUID().toString().substring(0, 8);
    static final String FACTS = "private-test-" + RUN + "." + Topics.KNOWLEDGE_FACTS;
    static final String LIFECYCLE = "private-test-" + RUN + "." + Topics.AGENT_LIFECYCLE;
    static final String GROUP = "knowledge-service-private-test-" + RUN;
    /** The throttled commit's period (5 s by default): what StoppingConsumersTest's wait after the drain outlasts. */
    static final Duration COMMIT_INTERVAL = Duration.ofSeconds(1);

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.ofEntries(
                Map.entry("devloop.events.require-signature", "false"),
                Map.entry("mp.messaging.incoming.knowledge-facts.topic", FACTS),
                Map.entry("mp.messaging.incoming.knowledge-facts.dead-letter-queue.topic", Topics.deadLetter(FACTS)),
                Map.entry("mp.messaging.incoming.knowledge-facts.group.id", GROUP),
                Map.entry(
                        "mp.messaging.incoming.knowledge-facts.auto.commit.interval.ms",
                        Long.toString(COMMIT_INTERVAL.toMillis())),
                Map.entry("mp.messaging.incoming.agent-lifecycle.topic", LIFECYCLE),
                Map.entry(
                        "mp.messaging.incoming.agent-lifecycle.dead-letter-queue.topic", Topics.deadLetter(LIFECYCLE)),
                Map.entry("mp.messaging.incoming.agent-lifecycle.group.id", GROUP),
                Map.entry("mp.messaging.incoming.forge-events.enabled", "false"),
                Map.entry("mp.messaging.incoming.cache-invalidation.enabled", "false"));
    }
}
