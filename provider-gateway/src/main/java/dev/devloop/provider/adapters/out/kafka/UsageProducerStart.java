package dev.devloop.provider.adapters.out.kafka;

import io.smallrye.reactive.messaging.kafka.KafkaClientService;
import io.smallrye.reactive.messaging.kafka.KafkaProducer;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Starts the usage producer without sending a record: asks it for the usage topic's partitions, which creates the
 * lazy client ({@code lazy-client=true}), connects it, fetches the topic's metadata and (idempotence) its producer id.
 * The start-up warm-up calls it while readiness is still DOWN: before, that start ran at the first usage batch after
 * readiness, ~19 % of the CPU samples of the first 10 s of traffic at 1 connection (stop 30, JFR), its class loading
 * and connection beside the first requests. A broker that does not answer fails the stage after the producer's
 * {@code max.block.ms}; usage is then published as before, at the first batch.
 */
@ApplicationScoped
public class UsageProducerStart {
    private final KafkaClientService clients;
    private final String topic;

    public UsageProducerStart(
            KafkaClientService clients,
            @ConfigProperty(name = "mp.messaging.outgoing." + KafkaUsagePublisher.CHANNEL + ".topic") String topic) {
        this.clients = clients;
        this.topic = topic;
    }

    /** Completes with the usage topic's partition count once the producer is connected. */
    public CompletionStage<Integer> connect() {
        KafkaProducer<Object, Object> producer = clients.getProducer(KafkaUsagePublisher.CHANNEL);
        if (producer == null) {
            return CompletableFuture.failedFuture(
                    new IllegalStateException("no Kafka producer for channel " + KafkaUsagePublisher.CHANNEL));
        }
        return producer.partitionsFor(topic).map(List::size).subscribeAsCompletionStage();
    }
}
