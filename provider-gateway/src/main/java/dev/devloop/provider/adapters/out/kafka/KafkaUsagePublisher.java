package dev.devloop.provider.adapters.out.kafka;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.devloop.contracts.Topics;
import dev.devloop.contracts.events.KafkaEvents;
import dev.devloop.contracts.events.UsageBatches;
import dev.devloop.contracts.logging.LogFields;
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
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

/**
 * Publishes usage on {@code devloop.provider.usage} as contracts' {@link UsageBatches}: one CloudEvent per tenant per
 * flush, keyed by tenant and signed once as provider-gateway. The request thread only appends the record to a
 * bounded {@link UsageBuffer} (the per-call ES256 signature was 46 % of the gateway's CPU, docs/scaling.md); one
 * daemon thread sends every {@code devloop.provider.usage-events.flush-interval}, and at once for a tenant that has
 * a full batch waiting. A full buffer or a failed delivery drops records and counts them
 * ({@code devloop_provider_usage_events_dropped_total}, by reason); the MongoDB ledger stays the durable record and
 * never fails a model call. What is buffered at shutdown is sent before the Kafka connector closes.
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
    private final long intervalNanos;
    private final Counter droppedFull;
    private final Counter droppedUndelivered;
    private final Counter droppedStopped;
    private final Counter batches;
    private final Counter records;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile boolean stopping;
    private Thread flusher;

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
        this.intervalNanos = Math.max(1, config.usageEvents().flushInterval().toNanos());
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
    }

    private static Counter dropped(MeterRegistry registry, String reason) {
        return Counter.builder(DROPPED)
                .description("Usage records not published on Kafka, by reason (the ledger still has them)")
                .tag("reason", reason)
                .register(registry);
    }

    @PostConstruct
    void start() {
        flusher = new Thread(this::flushLoop, "usage-batches");
        flusher.setDaemon(true);
        flusher.start();
    }

    @Override
    public void publish(UsageRecord usage) {
        if (stopping) {
            droppedStopped.increment();
            return;
        }
        int waiting = buffer.offer(usage);
        if (waiting < 0) {
            droppedFull.increment();
        } else if (waiting % UsageBuffer.MAX_BATCH == 0) {
            LockSupport.unpark(flusher); // a tenant may have a full batch: send it now, not at the next tick
        }
    }

    private void flushLoop() {
        long next = System.nanoTime() + intervalNanos;
        while (!stopping) {
            try {
                long now = System.nanoTime();
                if (now - next >= 0) {
                    send(buffer.takeAll());
                    next = now + intervalNanos;
                } else if (buffer.size() >= UsageBuffer.MAX_BATCH) {
                    send(buffer.takeFull());
                }
            } catch (RuntimeException e) {
                LogFields.of("error", e.toString()).warn(LOG, "usage batch flush failed");
            }
            LockSupport.parkNanos(this, Math.max(0, next - System.nanoTime()));
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
                inFlight.incrementAndGet();
                sent = true;
                emitter.send(signed.withAck(() -> {
                            inFlight.decrementAndGet();
                            batches.increment();
                            records.increment(size);
                            return signed.ack();
                        })
                        .withNack(failure -> {
                            inFlight.decrementAndGet();
                            droppedUndelivered.increment(size);
                            return signed.nack(failure);
                        }));
            } catch (RuntimeException e) {
                if (sent) {
                    inFlight.decrementAndGet();
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
        close();
    }

    @PreDestroy
    void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        stopping = true;
        long deadline = System.nanoTime() + SHUTDOWN_WAIT.toNanos();
        try {
            if (flusher != null) {
                LockSupport.unpark(flusher);
                flusher.join(SHUTDOWN_WAIT.toMillis() / 2);
            }
            send(buffer.takeAll());
            while (inFlight.get() > 0 && System.nanoTime() - deadline < 0) {
                Thread.sleep(10);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (inFlight.get() > 0) {
            LogFields.of("batches", inFlight.get()).warn(LOG, "usage batches unacknowledged at shutdown");
        }
    }
}
