package dev.devloop.gateway.adapters.in.kafka;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.devloop.gateway.config.GatewayConfig;
import dev.devloop.gateway.domain.DeliveryOutcome;
import dev.devloop.gateway.domain.WebhookDelivery;
import dev.devloop.gateway.ports.in.DispatchWebhooksUseCase;
import io.quarkus.logging.Log;
import io.smallrye.reactive.messaging.annotations.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.time.Clock;
import java.util.Optional;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Carries out queued webhook deliveries from {@code devloop.webhook.deliveries} (one consumer group shared
 * by all gateway instances). A retry waits for its not-before time (at most the configured maximum
 * back-off) on a worker thread; deliveries run concurrently, so one slow receiver never holds the others.
 * An unreadable message fails and goes to the dead-letter topic.
 */
@ApplicationScoped
public class WebhookDeliveryConsumer {
    public static final String CHANNEL = "webhook-deliveries";
    private final DispatchWebhooksUseCase dispatch;
    private final ObjectMapper json;
    private final GatewayConfig config;
    private final Clock clock;

    public WebhookDeliveryConsumer(
            DispatchWebhooksUseCase dispatch, ObjectMapper json, GatewayConfig config, Clock clock) {
        this.dispatch = dispatch;
        this.json = json;
        this.config = config;
        this.clock = clock;
    }

    @Incoming(CHANNEL)
    @Blocking(ordered = false)
    void consume(String payload) throws IOException, InterruptedException {
        WebhookDelivery delivery = json.readValue(payload, WebhookDelivery.class);
        long wait = Math.min(
                delivery.notBeforeEpochMs() - clock.millis(),
                config.webhooks().maxBackoff().toMillis());
        if (wait > 0) {
            Thread.sleep(wait);
        }
        Optional<DeliveryOutcome> outcome = dispatch.deliver(delivery);
        Log.infof(
                "webhook delivery tenant=%s webhook=%s delivery=%s event=%s attempt=%d outcome=%s",
                delivery.tenant(),
                delivery.webhookId(),
                delivery.deliveryId(),
                delivery.eventId(),
                delivery.attempt(),
                outcome.map(Enum::name).orElse("DUPLICATE_SKIPPED"));
    }
}
