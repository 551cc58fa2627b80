package dev.devloop.gateway.adapters.in.kafka;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.devloop.contracts.Topics;
import dev.devloop.contracts.events.CloudEvent;
import dev.devloop.contracts.events.EventSignatures;
import dev.devloop.contracts.events.EventsConfig;
import dev.devloop.contracts.events.InvalidEventException;
import dev.devloop.contracts.logging.LogFields;
import dev.devloop.gateway.config.GatewayConfig;
import dev.devloop.gateway.domain.DeliveryOutcome;
import dev.devloop.gateway.domain.WebhookDelivery;
import dev.devloop.gateway.ports.in.DispatchWebhooksUseCase;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.reactive.messaging.annotations.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.time.Clock;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * Carries out queued webhook deliveries from {@code devloop.webhook.deliveries} (one consumer group shared
 * by all gateway instances). Only api-gateway produces there: each record carries its signature over the
 * delivery's tenant and id ({@code KafkaDeliveryQueue}), and one that does not verify is refused to the
 * dead-letter topic with the reason, never sent. A retry waits for its not-before time (at most the configured
 * maximum back-off) on a worker thread; deliveries run concurrently, so one slow receiver never holds the others.
 * An unreadable message fails and goes to the dead-letter topic.
 */
@ApplicationScoped
public class WebhookDeliveryConsumer {
    private static final Logger LOG = Logger.getLogger(WebhookDeliveryConsumer.class);

    public static final String CHANNEL = "webhook-deliveries";
    /** What a delivery's signature names as its event type; only its tenant and id are checked. */
    private static final String DELIVERY_TYPE = "dev.devloop.webhook.delivery";

    private final DispatchWebhooksUseCase dispatch;
    private final ObjectMapper json;
    private final GatewayConfig config;
    private final Clock clock;
    private final EventSignatures signatures;
    private final boolean requireSignature;
    private final RefusedRecords refused;

    public WebhookDeliveryConsumer(
            DispatchWebhooksUseCase dispatch,
            ObjectMapper json,
            GatewayConfig config,
            Clock clock,
            EventSignatures signatures,
            EventsConfig events,
            MeterRegistry registry) {
        this.dispatch = dispatch;
        this.json = json;
        this.config = config;
        this.clock = clock;
        this.signatures = signatures;
        this.requireSignature = events.requireSignature();
        this.refused = new RefusedRecords(registry);
    }

    @Incoming(CHANNEL)
    @Blocking(ordered = false)
    void consume(ConsumerRecord<String, String> record) throws IOException, InterruptedException {
        WebhookDelivery delivery = json.readValue(record.value(), WebhookDelivery.class);
        verify(record, delivery);
        long wait = Math.min(
                delivery.notBeforeEpochMs() - clock.millis(),
                config.webhooks().maxBackoff().toMillis());
        if (wait > 0) {
            Thread.sleep(wait);
        }
        Optional<DeliveryOutcome> outcome = dispatch.deliver(delivery);
        LogFields.of(
                        "tenant",
                        delivery.tenant(),
                        "webhookId",
                        delivery.webhookId(),
                        "deliveryId",
                        delivery.deliveryId(),
                        "eventId",
                        delivery.eventId(),
                        "attempt",
                        delivery.attempt(),
                        "outcome",
                        outcome.map(Enum::name).orElse("DUPLICATE_SKIPPED"))
                .info(LOG, "webhook delivery attempted");
    }

    /**
     * Proves the record was queued by api-gateway for this tenant and delivery: the refusal's message becomes the
     * dead letter's reason. A delivery is no CloudEvent, so its tenant and id stand in for the event's.
     */
    private void verify(ConsumerRecord<String, String> record, WebhookDelivery delivery) {
        String signature = RefusedRecords.header(record, EventSignatures.SIGNATURE_HEADER);
        String grant = RefusedRecords.header(record, EventSignatures.GRANT_HEADER);
        if (signature == null && grant == null && !requireSignature) {
            return;
        }
        CloudEvent signed = new CloudEvent(
                CloudEvent.SPEC_VERSION,
                delivery.deliveryId(),
                "/devloop/api-gateway",
                DELIVERY_TYPE,
                null,
                null,
                null,
                delivery.tenant(),
                null);
        try {
            signatures.verify(Topics.WEBHOOK_DELIVERIES, signed, record.value(), signature, grant);
        } catch (InvalidEventException e) {
            refused.count(Topics.WEBHOOK_DELIVERIES, e);
            LogFields.of(
                            "topic",
                            record.topic(),
                            "partition",
                            record.partition(),
                            "offset",
                            record.offset(),
                            "tenant",
                            delivery.tenant(),
                            "deliveryId",
                            delivery.deliveryId(),
                            "kind",
                            e.kind(),
                            "reason",
                            e.getMessage())
                    .warn(LOG, "webhook delivery refused");
            throw e;
        }
    }
}
