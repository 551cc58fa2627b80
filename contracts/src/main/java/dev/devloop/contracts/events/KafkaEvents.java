package dev.devloop.contracts.events;

import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.eclipse.microprofile.reactive.messaging.Message;

/**
 * The Kafka side of the events seam: the keyed message a service hands its emitter — the value written by the
 * codec and signed for its topic — and the headers a consumer passes to {@link EventGate}.
 */
public final class KafkaEvents {
    private static final Logger LOG = Logger.getLogger(KafkaEvents.class.getName());

    private final CloudEventCodec codec;
    private final EventSignatures signatures;

    public KafkaEvents(CloudEventCodec codec, EventSignatures signatures) {
        this.codec = codec;
        this.signatures = signatures;
    }

    /**
     * A message for logical {@code topic} ({@code Topics}, without the cell's prefix); a failed delivery is logged,
     * never thrown, for events that must not fail the work that produced them.
     */
    public Message<String> message(String topic, String key, CloudEvent event) {
        return message(topic, key, event.tenant(), event.id(), codec.encode(event));
    }

    /** A signed message whose value is already written (a record that is not a CloudEvent: sign its tenant and id). */
    public Message<String> message(String topic, String key, String tenant, String id, String value) {
        return Message.of(value)
                .addMetadata(OutgoingKafkaRecordMetadata.<String>builder()
                        .withKey(key)
                        .withHeaders(signedHeaders(topic, tenant, id, value))
                        .build())
                .withAck(() -> CompletableFuture.completedFuture(null))
                .withNack(failure -> {
                    LOG.log(Level.WARNING, "record " + id + " on " + topic + " was not delivered", failure);
                    return CompletableFuture.completedFuture(null);
                });
    }

    /** The value of an event, written by the codec. */
    public String encode(CloudEvent event) {
        return codec.encode(event);
    }

    /** The provenance header of a record on logical {@code topic}, for producers that build their own message. */
    public RecordHeaders signedHeaders(String topic, String tenant, String id, String value) {
        RecordHeaders headers = new RecordHeaders();
        headers.add(
                EventSignatures.SIGNATURE_HEADER,
                signatures.sign(topic, tenant, id, value).getBytes(StandardCharsets.UTF_8));
        return headers;
    }

    /** Reads a record of logical {@code topic} through the gate, with the record's provenance headers. */
    public static EventGate.Accepted accept(
            EventGate gate, String topic, ConsumerRecord<String, String> record, CloudEventCodec.Limits limits) {
        return gate.accept(
                topic,
                record.value(),
                header(record, EventSignatures.SIGNATURE_HEADER),
                header(record, EventSignatures.GRANT_HEADER),
                limits);
    }

    /** The last value of a record header as text, or null. */
    public static String header(ConsumerRecord<?, ?> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
