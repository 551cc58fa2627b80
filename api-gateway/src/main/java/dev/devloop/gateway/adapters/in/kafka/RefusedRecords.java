package dev.devloop.gateway.adapters.in.kafka;

import dev.devloop.contracts.events.InvalidEventException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

/**
 * {@code devloop_gateway_events_refused_total{topic,kind}}: records the gateway's consumers refused, by logical
 * topic and {@link InvalidEventException.Kind} (malformed, unsigned, forged, not allowed).
 */
final class RefusedRecords {
    static final String METRIC = "devloop.gateway.events.refused";

    private final MeterRegistry registry;

    RefusedRecords(MeterRegistry registry) {
        this.registry = registry;
    }

    void count(String topic, InvalidEventException refusal) {
        Counter.builder(METRIC)
                .description("Kafka records refused by the event gate, by logical topic and kind")
                .tag("topic", topic)
                .tag("kind", refusal.kind().name().toLowerCase(java.util.Locale.ROOT))
                .register(registry)
                .increment();
    }

    /** The last value of header {@code name} as UTF-8, or null. */
    static String header(ConsumerRecord<?, ?> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null || header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
