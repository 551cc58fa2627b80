package dev.devloop.gateway.adapters.out.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import dev.devloop.archrules.KafkaProducerConfig;
import org.junit.jupiter.api.Test;

/** Every producer is created with its first record; the webhook, forge-event and grant-revocation tests read the first records. */
class LazyProducersConfigTest {
    @Test
    void everyProducerIsCreatedWithItsFirstRecord() {
        KafkaProducerConfig config = KafkaProducerConfig.ofApplicationProperties(getClass());
        assertThat(config.producers()).isNotEmpty();
        assertThat(config.eagerProducers()).isEmpty();
    }
}
