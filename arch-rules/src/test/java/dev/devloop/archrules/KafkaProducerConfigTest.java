package dev.devloop.archrules;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Properties;
import org.junit.jupiter.api.Test;

class KafkaProducerConfigTest {
    @Test
    void findsOutgoingChannelsAndDeadLetterProducersAndTheEagerOnes() {
        Properties p = new Properties();
        p.setProperty("mp.messaging.outgoing.events.connector", "smallrye-kafka");
        p.setProperty("mp.messaging.outgoing.events.lazy-client", "true");
        p.setProperty("mp.messaging.outgoing.audit.connector", "smallrye-kafka");
        p.setProperty("mp.messaging.incoming.tasks.failure-strategy", "dead-letter-queue");
        p.setProperty("mp.messaging.incoming.facts.failure-strategy", "ignore");

        KafkaProducerConfig config = KafkaProducerConfig.of(p);

        assertThat(config.producers())
                .containsExactlyInAnyOrder(
                        "mp.messaging.outgoing.events.lazy-client",
                        "mp.messaging.outgoing.audit.lazy-client",
                        "mp.messaging.incoming.tasks.dead-letter-queue.lazy-client");
        assertThat(config.eagerProducers())
                .containsExactlyInAnyOrder(
                        "mp.messaging.outgoing.audit.lazy-client",
                        "mp.messaging.incoming.tasks.dead-letter-queue.lazy-client");
    }
}
