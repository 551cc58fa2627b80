package dev.devloop.agent.adapters.out.kafka;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.devloop.contracts.events.CloudEvent;
import io.quarkus.logging.Log;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import java.util.concurrent.CompletableFuture;
import org.eclipse.microprofile.reactive.messaging.Message;

/** Builds keyed Kafka messages carrying a CloudEvent as JSON; delivery failures are logged, not thrown. */
final class CloudEventJson {
    static final String SOURCE = "/devloop/agent-service";

    static Message<String> message(ObjectMapper json, String key, CloudEvent event) {
        String payload;
        try {
            payload = json.writeValueAsString(event);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("event " + event.type() + " is not serialisable", e);
        }
        return Message.of(payload)
                .addMetadata(OutgoingKafkaRecordMetadata.<String>builder()
                        .withKey(key)
                        .build())
                .withAck(() -> CompletableFuture.completedFuture(null))
                .withNack(failure -> {
                    Log.warnf(failure, "event %s (%s) was not delivered", event.type(), event.subject());
                    return CompletableFuture.completedFuture(null);
                });
    }

    private CloudEventJson() {}
}
