package dev.devloop.agent.adapters.in.kafka;

import com.fasterxml.jackson.databind.JsonNode;
import dev.devloop.agent.ports.in.RecordGrantRevocationUseCase;
import dev.devloop.contracts.Topics;
import dev.devloop.contracts.events.CloudEvent;
import dev.devloop.contracts.events.CloudEventCodec;
import dev.devloop.contracts.events.EventGate;
import dev.devloop.contracts.events.EventSignatures;
import dev.devloop.contracts.events.GrantRevoked;
import dev.devloop.contracts.events.InvalidEventException;
import dev.devloop.contracts.events.KafkaEvents;
import dev.devloop.contracts.logging.LogFields;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.common.annotation.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.DateTimeException;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * Takes producer-grant revocations from {@code devloop.grants.revocations}: {@link GrantRevoked} events signed by
 * api-gateway (the only producer of the topic), whose {@code tenant} attribute is the revoked grant's tenant. Each
 * is kept until the grant would have expired, so {@code EventGate} refuses that grant's tasks from then on. A record
 * that is malformed, unsigned or from another producer is refused with the reason and goes to the dead-letter topic;
 * a replayed revocation changes nothing.
 */
@ApplicationScoped
class GrantRevocationConsumer {
    private static final Logger LOG = Logger.getLogger(GrantRevocationConsumer.class);
    static final String CHANNEL = "grant-revocations-in";
    private static final int MAX_ID_LENGTH = 128;
    private static final CloudEventCodec.Limits LIMITS = new CloudEventCodec.Limits(16 * 1024, 50);

    private final RecordGrantRevocationUseCase useCase;
    private final EventGate gate;
    private final Map<InvalidEventException.Kind, Counter> refused = new EnumMap<>(InvalidEventException.Kind.class);
    private final Counter recorded;
    private final Counter replayed;

    GrantRevocationConsumer(RecordGrantRevocationUseCase useCase, EventGate gate, MeterRegistry meters) {
        this.useCase = useCase;
        this.gate = gate;
        this.recorded = applied(meters, "recorded");
        this.replayed = applied(meters, "replayed");
        for (InvalidEventException.Kind kind : InvalidEventException.Kind.values()) {
            refused.put(
                    kind,
                    Counter.builder("devloop.agent.grant.revocations.refused")
                            .description("grant revocation records dead-lettered: malformed, unsigned, forged or"
                                    + " not from api-gateway")
                            .tag("kind", kind.name().toLowerCase(Locale.ROOT))
                            .register(meters));
        }
    }

    @Incoming(CHANNEL)
    @Blocking
    void consume(ConsumerRecord<String, String> record) {
        GrantRevoked revocation;
        try {
            revocation = revocation(KafkaEvents.accept(gate, Topics.GRANT_REVOCATIONS, record, LIMITS));
        } catch (InvalidEventException e) {
            refused.get(e.kind()).increment();
            throw e;
        }
        LogFields fields = LogFields.of(
                "tenant", revocation.tenant(), "grantId", revocation.grantId(), "revokedBy", revocation.revokedBy());
        if (useCase.record(revocation)) {
            recorded.increment();
            fields.info(LOG, "producer grant revoked");
        } else {
            replayed.increment();
            fields.info(LOG, "producer grant revocation already known");
        }
    }

    private static Counter applied(MeterRegistry meters, String outcome) {
        return Counter.builder("devloop.agent.grant.revocations")
                .description("grant revocations taken: recorded, or replayed (already known, nothing changed)")
                .tag("outcome", outcome)
                .register(meters);
    }

    private static GrantRevoked revocation(EventGate.Accepted accepted) {
        CloudEvent event = accepted.event();
        // the gate lets unsigned records through while signatures are optional: a revocation never is one
        if (!EventSignatures.GRANT_ISSUER.equals(accepted.producer())) {
            throw new InvalidEventException(
                    EventGate.UNSIGNED.equals(accepted.producer())
                            ? InvalidEventException.Kind.UNSIGNED
                            : InvalidEventException.Kind.NOT_ALLOWED,
                    "a grant revocation must be signed by " + EventSignatures.GRANT_ISSUER + ", not by "
                            + accepted.producer());
        }
        if (!GrantRevoked.TYPE.equals(event.type())) {
            throw malformed(
                    "the CloudEvent attribute 'type' must be " + GrantRevoked.TYPE + ", not '" + event.type() + "'");
        }
        JsonNode data = event.data();
        String grantId = requiredText(data, "grantId");
        if (grantId.length() > MAX_ID_LENGTH) {
            throw malformed("data.grantId is longer than " + MAX_ID_LENGTH + " characters");
        }
        String tenant = requiredText(data, "tenant");
        if (!tenant.equals(event.tenant())) {
            throw new InvalidEventException(
                    InvalidEventException.Kind.NOT_ALLOWED,
                    "grant revocation " + event.id() + " names tenant '" + event.tenant()
                            + "' in its CloudEvent attribute 'tenant', but data.tenant is '" + tenant + "'");
        }
        return new GrantRevoked(
                grantId,
                tenant,
                data.path("subject").asText(null),
                instant(data, "expiresAt"),
                data.path("revokedBy").asText(null));
    }

    private static String requiredText(JsonNode data, String field) {
        JsonNode value = data == null ? null : data.get(field);
        if (value == null || !value.isTextual() || value.asText().isBlank()) {
            throw malformed("data." + field + " is required (a non-blank string)");
        }
        return value.asText();
    }

    /** An ISO-8601 instant, or epoch seconds (how Jackson writes an {@code Instant} with timestamps on). */
    private static Instant instant(JsonNode data, String field) {
        JsonNode value = data.get(field);
        try {
            if (value != null && value.isNumber()) {
                return Instant.ofEpochSecond(value.longValue());
            }
            if (value != null && value.isTextual()) {
                return Instant.parse(value.asText());
            }
        } catch (DateTimeException e) {
            // falls through to the refusal below
        }
        throw malformed("data." + field + " is required (an ISO-8601 instant)");
    }

    private static InvalidEventException malformed(String message) {
        return new InvalidEventException(InvalidEventException.Kind.MALFORMED, message);
    }
}
