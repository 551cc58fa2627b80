package dev.devloop.provider.adapters.out.kafka;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.devloop.contracts.Topics;
import dev.devloop.contracts.events.KafkaEvents;
import dev.devloop.contracts.events.UsageBatches;
import dev.devloop.contracts.logging.LogFields;
import dev.devloop.provider.adapters.out.BackgroundFlusher;
import dev.devloop.provider.config.ProviderConfig;
import dev.devloop.provider.domain.UsageRecord;
import dev.devloop.provider.ports.out.PublishUsagePort;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.Reception;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

/**
 * Publishes usage on {@code devloop.provider.usage} as contracts' {@link UsageBatches}: one CloudEvent per tenant per
 * flush, keyed by tenant and signed once as provider-gateway. The request thread only appends the record to a
 * bounded {@link UsageBuffer} (the per-call ES256 signature was 46 % of the gateway's CPU, docs/scaling.md); a
 * {@link BackgroundFlusher} sends every {@code devloop.provider.usage-events.flush-interval}, and at once for a tenant
 * that has a full batch waiting. A full buffer or a failed delivery drops records and counts them
 * ({@code devloop_provider_usage_events_dropped_total}, by reason); the MongoDB ledger stays the durable record and
 * never fails a model call. What is buffered at shutdown is sent and acknowledged before the Kafka connector closes
 * (bounded; batches still unacknowledged then are counted with reason {@code stopped}).
 */
@ApplicationScoped
public class KafkaUsagePublisher implements PublishUsagePort {
    private static final Logger LOG = Logger.getLogger(KafkaUsagePublisher.class);

    static final String CHANNEL = "provider-usage";
    static final String DROPPED = "devloop.provider.usage.events.dropped";
    static final String BATCHES = "devloop.provider.usage.batches.published";
    static final String RECORDS = "devloop.provider.usage.records.published";
    static final String BUFFERED = "devloop.provider.usage.events.buffered";
    private static final Duration SHUTDOWN_WAIT = Duration.ofSeconds(5);

    private final Emitter<String> emitter;
    private final ObjectMapper json;
    private final KafkaEvents events;
    private final UsageBuffer buffer;
    private final Counter droppedFull;
    private final Counter droppedUndelivered;
    private final Counter droppedStopped;
    private final Counter batches;
    private final Counter records;
    /** Records sent and not yet acknowledged or refused by Kafka. */
    private final AtomicInteger inFlight = new AtomicInteger();

    private final BackgroundFlusher flusher;

    public KafkaUsagePublisher(
            @Channel(CHANNEL) Emitter<String> emitter,
            ObjectMapper json,
            KafkaEvents events,
            ProviderConfig config,
            MeterRegistry registry) {
        this.emitter = emitter;
        this.json = json;
        this.events = events;
        this.buffer = new UsageBuffer(config.usageEvents().maxBuffered());
        this.droppedFull = dropped(registry, "buffer-full");
        this.droppedUndelivered = dropped(registry, "not-delivered");
        this.droppedStopped = dropped(registry, "stopped");
        this.batches = Counter.builder(BATCHES)
                .description("Signed usage batches Kafka acknowledged")
                .register(registry);
        this.records = Counter.builder(RECORDS)
                .description("Usage records in the batches Kafka acknowledged")
                .register(registry);
        Gauge.builder(BUFFERED, buffer, UsageBuffer::size)
                .description("Usage records waiting for the next batch")
                .register(registry);
        this.flusher = new BackgroundFlusher(
                "usage-batches", config.usageEvents().flushInterval(), SHUTDOWN_WAIT, new Work(), droppedStopped);
    }

    private static Counter dropped(MeterRegistry registry, String reason) {
        return Counter.builder(DROPPED)
                .description("Usage records not published on Kafka, by reason (the ledger still has them)")
                .tag("reason", reason)
                .register(registry);
    }

    @PostConstruct
    void start() {
        flusher.start();
    }

    @Override
    public void publish(UsageRecord usage) {
        if (flusher.closed()) {
            droppedStopped.increment();
            return;
        }
        int waiting = buffer.offer(usage);
        if (waiting < 0) {
            droppedFull.increment();
        } else if (waiting % UsageBuffer.MAX_BATCH == 0) {
            flusher.wake(); // a tenant may have a full batch: send it now, not at the next tick
        }
    }

    /** On a tick everything buffered, when woken early the full batches only; at shutdown until Kafka acknowledged. */
    private final class Work implements BackgroundFlusher.Work {
        @Override
        public void flush(boolean due) {
            if (due) {
                send(buffer.takeAll());
            } else if (buffer.size() >= UsageBuffer.MAX_BATCH) {
                send(buffer.takeFull());
            }
        }

        @Override
        public long waiting() {
            return (long) buffer.size() + inFlight.get();
        }

        @Override
        public double abandon() {
            return inFlight.get() + buffer.size();
        }
    }

    private void send(List<List<UsageRecord>> taken) {
        for (List<UsageRecord> batch : taken) {
            String tenant = batch.get(0).tenant();
            int size = batch.size();
            boolean sent = false;
            try {
                List<ObjectNode> data = new ArrayList<>(size);
                batch.forEach(u -> data.add(data(u)));
                Message<String> signed =
                        events.message(Topics.PROVIDER_USAGE, tenant, UsageBatches.batch(tenant, data));
                inFlight.addAndGet(size);
                sent = true;
                emitter.send(signed.withAck(() -> {
                            inFlight.addAndGet(-size);
                            batches.increment();
                            records.increment(size);
                            return signed.ack();
                        })
                        .withNack(failure -> {
                            inFlight.addAndGet(-size);
                            droppedUndelivered.increment(size);
                            return signed.nack(failure);
                        }));
            } catch (RuntimeException e) {
                if (sent) {
                    inFlight.addAndGet(-size);
                }
                droppedUndelivered.increment(size);
                LogFields.of("tenant", tenant, "records", size)
                        .and("error", e.getClass().getSimpleName())
                        .warn(LOG, "usage batch not published");
            }
        }
    }

    private ObjectNode data(UsageRecord u) {
        ObjectNode data = json.createObjectNode();
        data.put(UsageBatches.CALL_ID, u.id());
        data.put("agentId", u.agentId());
        data.put("provider", u.provider());
        data.put("model", u.model());
        data.put("inputTokens", u.inputTokens());
        data.put("outputTokens", u.outputTokens());
        data.put("totalTokens", u.totalTokens());
        data.put("cached", u.cached());
        data.put("streamed", u.streamed());
        data.put("finishReason", u.finishReason());
        data.put("latencyMs", u.latencyMs());
        data.put("at", u.at().toString());
        if (u.costUsd() != null) {
            data.put("costUsd", u.costUsd());
        }
        return data;
    }

    /**
     * Sends what is buffered and waits (bounded) until Kafka acknowledged it. On {@link ShutdownEvent}, which Quarkus
     * fires before the Kafka connector closes its producers ({@code @PreDestroy} alone would come after).
     */
    void onShutdown(@Observes(notifyObserver = Reception.IF_EXISTS) ShutdownEvent event) {
        flusher.close();
    }

    @PreDestroy
    void close() {
        flusher.close();
    }
}
