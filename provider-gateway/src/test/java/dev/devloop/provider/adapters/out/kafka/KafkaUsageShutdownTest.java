package dev.devloop.provider.adapters.out.kafka;

import static dev.devloop.provider.adapters.out.kafka.KafkaUsagePublisherTest.record;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.devloop.contracts.events.CloudEvent;
import dev.devloop.contracts.events.EventGate;
import dev.devloop.contracts.events.KafkaEvents;
import dev.devloop.provider.config.ProviderConfig;
import dev.devloop.provider.support.CommonStubs;
import dev.devloop.provider.support.UsageTopic;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.junit.jupiter.api.Test;

/**
 * Shutdown of the usage publisher against the real broker: what is buffered when it stops is sent and acknowledged
 * before the shutdown returns; what comes after is counted as dropped ({@code reason=stopped}), never silently lost.
 * A publisher of its own on the application's channel, without its flusher thread, so only the shutdown sends.
 */
@QuarkusTest
@WithTestResource(CommonStubs.class)
class KafkaUsageShutdownTest {
    @Inject
    @Channel(KafkaUsagePublisher.CHANNEL)
    Emitter<String> emitter;

    @Inject
    ObjectMapper json;

    @Inject
    KafkaEvents events;

    @Inject
    ProviderConfig config;

    @Inject
    MeterRegistry registry;

    @Inject
    EventGate eventGate;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String kafkaBootstrap;

    @Test
    void recordsBufferedAtShutdownAreDeliveredAndLaterOnesCountedAsDropped() {
        String tenant = "t-" + UUID.randomUUID();
        KafkaUsagePublisher publisher = new KafkaUsagePublisher(emitter, json, events, config, registry);
        // read after the constructor registered them (the application's publisher may not exist yet)
        double acknowledgedBefore =
                registry.get(KafkaUsagePublisher.RECORDS).counter().count();
        double stoppedBefore = stopped();
        try (UsageTopic topic = new UsageTopic(kafkaBootstrap, eventGate)) {
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < 300; i++) { // more than one batch of 256
                var r = record(tenant, i);
                ids.add(r.id());
                publisher.publish(r);
            }

            publisher.onShutdown(null);
            // acknowledged by the broker before the shutdown returned
            assertThat(registry.get(KafkaUsagePublisher.RECORDS).counter().count() - acknowledgedBefore)
                    .isGreaterThanOrEqualTo(300);

            publisher.publish(record(tenant, 1000));
            assertThat(stopped() - stoppedBefore).isEqualTo(1);

            List<UsageTopic.Batch> batches = topic.until(
                    Set.of(tenant), seen -> UsageTopic.records(seen, tenant).size() >= 300, Duration.ofSeconds(60));
            assertThat(UsageTopic.records(batches, tenant).stream().map(CloudEvent::id))
                    .containsExactlyInAnyOrderElementsOf(ids);
        }
    }

    private double stopped() {
        return registry.get(KafkaUsagePublisher.DROPPED)
                .tag("reason", "stopped")
                .counter()
                .count();
    }
}
