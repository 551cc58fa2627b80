package dev.devloop.gateway.adapters.out.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** The probe's AdminClient gets the chart's broker settings (SASL, TLS) and its own short timeouts on top. */
class KafkaProbeConfigTest {
    private static final Map<String, Object> CHART_BROKER = Map.of(
            "bootstrap.servers", "kafka-0.kafka:9093",
            "security.protocol", "SASL_SSL",
            "sasl.mechanism", "SCRAM-SHA-512",
            "sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required;",
            "ssl.truststore.location", "/etc/kafka-ca/ca.p12",
            "request.timeout.ms", 30000,
            "client.id", "api-gateway",
            "group.id", "api-gateway",
            "key.deserializer", "org.apache.kafka.common.serialization.StringDeserializer");

    @Test
    void theBrokersSecuritySettingsReachTheAdminClient() {
        Map<String, Object> config = KafkaProbe.adminConfig(CHART_BROKER, 1500);
        assertThat(config)
                .containsEntry("bootstrap.servers", "kafka-0.kafka:9093")
                .containsEntry("security.protocol", "SASL_SSL")
                .containsEntry("sasl.mechanism", "SCRAM-SHA-512")
                .containsEntry("sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required;")
                .containsEntry("ssl.truststore.location", "/etc/kafka-ca/ca.p12");
    }

    @Test
    void theProbesOwnSettingsWinAndConsumerKeysAreLeftOut() {
        Map<String, Object> config = KafkaProbe.adminConfig(CHART_BROKER, 1500);
        assertThat(config)
                .containsEntry("client.id", "api-gateway-probe")
                .containsEntry("request.timeout.ms", 1500)
                .containsEntry("default.api.timeout.ms", 1500)
                .doesNotContainKeys("group.id", "key.deserializer");
    }
}
