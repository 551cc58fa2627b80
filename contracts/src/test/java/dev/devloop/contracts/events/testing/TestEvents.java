package dev.devloop.contracts.events.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.devloop.contracts.events.CloudEvent;
import dev.devloop.contracts.events.CloudEventCodec;
import dev.devloop.contracts.events.EventSignatures;
import dev.devloop.contracts.identity.ServiceKeys;
import dev.devloop.contracts.identity.testing.TestCredentials;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;

/**
 * Produces records in tests the way the cell does: signed as the service that produces the topic, with that
 * service's key in the key directory the services under test read (created there when missing), or carrying a
 * producer grant as a tenant's own Kafka client would.
 */
public final class TestEvents {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final CloudEventCodec CODEC = new CloudEventCodec(JSON);
    private static final Map<String, EventSignatures> SIGNERS = new ConcurrentHashMap<>();

    /** The record value of an event. */
    public static String value(String source, String type, String tenant, Map<String, ?> data) {
        return CODEC.encode(CloudEvent.of(source, type, null, tenant, JSON.valueToTree(data)));
    }

    public static String value(CloudEvent event) {
        return CODEC.encode(event);
    }

    public static CloudEvent event(String source, String type, String tenant, Map<String, ?> data) {
        ObjectNode node = JSON.valueToTree(data);
        return CloudEvent.of(source, type, null, tenant, node);
    }

    /** The {@code devloop-signature} header value of {@code value} produced by {@code service} on {@code topic}. */
    public static String signature(String service, String topic, String value) {
        try {
            CloudEvent event = CODEC.decode(value, CloudEventCodec.Limits.DEFAULT);
            return signer(service).sign(topic, event.tenant(), event.id(), value);
        } catch (RuntimeException e) {
            // a malformed value cannot be read back: sign what a careless producer would (a test of poison records)
            return signer(service).sign(topic, "t", "unreadable", value);
        }
    }

    /** The Kafka headers a cell member puts on a record it produces. */
    public static List<Header> signedBy(String service, String topic, String value) {
        return List.of(header(EventSignatures.SIGNATURE_HEADER, signature(service, topic, value)));
    }

    /** A producer grant for a tenant's own Kafka client, as api-gateway issues it. */
    public static String grant(String topic, String tenant) {
        return signer(EventSignatures.GRANT_ISSUER).grant(topic, tenant, "test", Duration.ofHours(1));
    }

    public static List<Header> granted(String topic, String tenant) {
        return List.of(header(EventSignatures.GRANT_HEADER, grant(topic, tenant)));
    }

    public static Header header(String name, String value) {
        return new RecordHeader(name, value.getBytes(StandardCharsets.UTF_8));
    }

    private static EventSignatures signer(String service) {
        return SIGNERS.computeIfAbsent(
                service, s -> new EventSignatures(ServiceKeys.open(TestCredentials.keyDir(), s, true), "devloop-cell"));
    }

    private TestEvents() {}
}
