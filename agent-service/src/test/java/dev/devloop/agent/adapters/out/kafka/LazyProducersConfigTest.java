package dev.devloop.agent.adapters.out.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import dev.devloop.archrules.KafkaProducerConfig;
import org.junit.jupiter.api.Test;

/** Every producer is created with its first record; AgentResourceTest reads the first lifecycle events, AgentTaskConsumerTest and GrantRevocationConsumerTest the first dead letters. */
class LazyProducersConfigTest {
    @Test
    void everyProducerIsCreatedWithItsFirstRecord() {
        KafkaProducerConfig config = KafkaProducerConfig.ofApplicationProperties(getClass());
        assertThat(config.producers()).isNotEmpty();
        assertThat(config.eagerProducers()).isEmpty();
    }
}
