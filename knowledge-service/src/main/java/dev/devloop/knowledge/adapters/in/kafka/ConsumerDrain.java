package dev.devloop.knowledge.adapters.in.kafka;

import dev.devloop.knowledge.config.KnowledgeConfig;
import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Duration;

/**
 * Graceful shutdown of the Kafka consumers (issue 18). Quarkus closes the store clients (the Neo4j driver is a
 * shutdown task) before the Kafka connector stops its consumers, so an event handled in that window failed on a
 * closed store and was dead-lettered. At {@link ShutdownEvent} — before those shutdown tasks — this gate stops
 * taking events and waits (at most {@code devloop.knowledge.events.shutdown-grace}) for the ones in flight to
 * finish; an event that arrives later is refused with {@link ServiceStoppingException}, and
 * {@link RedeliverWhenStoppingFailureStrategy} leaves every failure while stopping uncommitted instead of
 * dead-lettering it, so Kafka redelivers it to the next consumer.
 */
@ApplicationScoped
public class ConsumerDrain {
    private final Duration grace;
    private final Object lock = new Object();
    private int inFlight;
    private boolean stopping;

    @Inject
    public ConsumerDrain(KnowledgeConfig config) {
        this(config.events().shutdownGrace());
    }

    public ConsumerDrain(Duration grace) {
        this.grace = grace;
    }

    /** Runs one event's work, unless the service is stopping. */
    public void run(Runnable work) {
        synchronized (lock) {
            if (stopping) {
                throw new ServiceStoppingException();
            }
            inFlight++;
        }
        try {
            work.run();
        } finally {
            synchronized (lock) {
                inFlight--;
                lock.notifyAll();
            }
        }
    }

    /** True once shutdown began: a failure now is the shutdown's, not the event's. */
    public boolean stopping() {
        synchronized (lock) {
            return stopping;
        }
    }

    /** What becomes of an event that fails now, for the consumers' log lines. */
    public String fate() {
        return stopping() ? "left for redelivery (the service is stopping)" : "dead-lettered";
    }

    /** Events being handled right now. */
    public int inFlight() {
        synchronized (lock) {
            return inFlight;
        }
    }

    /**
     * Stops taking events and waits up to the grace period for those in flight; answers whether they all finished.
     */
    public boolean stop() {
        long deadline = System.nanoTime() + grace.toNanos();
        synchronized (lock) {
            stopping = true;
            while (inFlight > 0) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                try {
                    Duration wait = Duration.ofNanos(left);
                    lock.wait(Math.max(1, wait.toMillis()));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return inFlight == 0;
                }
            }
            return true;
        }
    }

    /** Early among the shutdown observers: the stores must still be open while in-flight events finish. */
    void onShutdown(@Observes @Priority(10) ShutdownEvent event) {
        long start = System.nanoTime();
        boolean drained = stop();
        long ms = Duration.ofNanos(System.nanoTime() - start).toMillis();
        if (drained) {
            Log.infof("kafka consumers drained in %d ms; later events are left for redelivery", ms);
        } else {
            Log.warnf(
                    "kafka consumers: %d event(s) still in flight after %d ms; if they fail they are redelivered,"
                            + " not dead-lettered",
                    inFlight(), ms);
        }
    }
}
