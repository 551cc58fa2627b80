package dev.devloop.tools.adapters.out.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.junit.jupiter.api.Test;

/**
 * The dead-letter clients are built from the service's whole Kafka configuration: the chart's global {@code kafka.*}
 * security settings (as Quarkus' {@code default-kafka-broker} map carries them) reach both clients, and the adapter's
 * own settings win over the broker map's.
 */
class KafkaDeadLettersConfigTest {
    private static final String JAAS = "org.apache.kafka.common.security.scram.ScramLoginModule required"
            + " username=\"tool-service\" password=\"s3cret\";";

    /** What Quarkus makes of the chart's KAFKA_* / kafka.* settings: the prefix dropped, keys lower-case, dotted. */
    private static final Map<String, Object> CHART = Map.of(
            "bootstrap.servers", "kafka-0.kafka:9093,kafka-1.kafka:9093",
            "security.protocol", "SASL_SSL",
            "sasl.mechanism", "SCRAM-SHA-512",
            "sasl.jaas.config", JAAS,
            "ssl.truststore.location", "/etc/devloop/kafka/truststore.p12",
            "ssl.truststore.password", "changeit",
            "ssl.truststore.type", "PKCS12",
            "group.id", "tool-service",
            "enable.auto.commit", "true",
            "acks", "1");

    private static final Map<String, Object> SECURITY = Map.of(
            "bootstrap.servers", "kafka-0.kafka:9093,kafka-1.kafka:9093",
            "security.protocol", "SASL_SSL",
            "sasl.mechanism", "SCRAM-SHA-512",
            "sasl.jaas.config", JAAS,
            "ssl.truststore.location", "/etc/devloop/kafka/truststore.p12",
            "ssl.truststore.password", "changeit",
            "ssl.truststore.type", "PKCS12");

    @Test
    void theConsumerCarriesTheBrokerSecurityAndItsOwnSettings() {
        Map<String, Object> replay = KafkaDeadLetters.consumerConfig(CHART, "devloop-dlq-replay");

        assertThat(replay).containsAllEntriesOf(SECURITY);
        assertThat(replay)
                .containsEntry(ConsumerConfig.GROUP_ID_CONFIG, "devloop-dlq-replay")
                .containsEntry(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false")
                .containsEntry(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed")
                .containsEntry(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, "false");
        assertThat((String) replay.get(ConsumerConfig.CLIENT_ID_CONFIG)).startsWith("devloop-dead-letters-");
    }

    @Test
    void aReadOutsideTheReplayGroupJoinsNoGroup() {
        Map<String, Object> read = KafkaDeadLetters.consumerConfig(CHART, null);

        assertThat(read).containsAllEntriesOf(SECURITY).doesNotContainKey(ConsumerConfig.GROUP_ID_CONFIG);
    }

    @Test
    void theProducerCarriesTheBrokerSecurityAndStaysIdempotentWithAcksAll() {
        Map<String, Object> producer = KafkaDeadLetters.producerConfig(CHART);

        assertThat(producer).containsAllEntriesOf(SECURITY).doesNotContainKey(ConsumerConfig.GROUP_ID_CONFIG);
        assertThat(producer)
                .containsEntry(ProducerConfig.ACKS_CONFIG, "all")
                .containsEntry(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true")
                .containsEntry(ProducerConfig.CLIENT_ID_CONFIG, "devloop-dead-letter-replay");
    }
}
