package dev.devloop.tools.adapters.out.kafka;

import com.fasterxml.jackson.databind.JsonNode;
import dev.devloop.contracts.events.CloudEvent;
import dev.devloop.contracts.events.KafkaEvents;
import dev.devloop.tools.ports.out.DownstreamException;
import dev.devloop.tools.ports.out.EventPublisherPort;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.eclipse.microprofile.reactive.messaging.Message;

/** Publishes agents' events on the topic each call names, and waits for the broker's acknowledgement. */
@ApplicationScoped
class KafkaEventPublisher implements EventPublisherPort {
    static final String CHANNEL = "tool-events";
    private static final Duration ACK_WAIT = Duration.ofSeconds(10);
    private final Emitter<String> emitter;
    private final KafkaEvents events;

    KafkaEventPublisher(@Channel(CHANNEL) Emitter<String> emitter, KafkaEvents events) {
        this.emitter = emitter;
        this.events = events;
    }

    @Override
    public String publish(String topic, String key, String tenant, String type, String subject, JsonNode data) {
        return send(topic, topic, key, CloudEvent.of(KafkaInvocationEvents.SOURCE, type, subject, tenant, data));
    }

    /**
     * Sends {@code event} on {@code topic} under {@code key}, signed for {@code logicalTopic} (the {@code Topics}
     * name, without the cell's prefix), and waits for the broker's acknowledgement.
     */
    String send(String topic, String logicalTopic, String key, CloudEvent event) {
        String payload;
        try {
            payload = events.encode(event);
        } catch (RuntimeException e) {
            throw new DownstreamException("the event is not serialisable");
        }
        CompletableFuture<Void> acked = new CompletableFuture<>();
        Message<String> message = Message.of(payload)
                .addMetadata(OutgoingKafkaRecordMetadata.<String>builder()
                        .withTopic(topic)
                        .withKey(key)
                        .withHeaders(events.signedHeaders(logicalTopic, event.tenant(), event.id(), payload))
                        .build())
                .withAck(() -> {
                    acked.complete(null);
                    return CompletableFuture.completedFuture(null);
                })
                .withNack(failure -> {
                    acked.completeExceptionally(failure);
                    return CompletableFuture.completedFuture(null);
                });
        try {
            emitter.send(message);
            acked.get(ACK_WAIT.toMillis(), TimeUnit.MILLISECONDS);
            return event.id();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DownstreamException("interrupted while publishing to " + topic);
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
            throw new DownstreamException("Kafka did not accept the event on " + topic);
        }
    }
}
