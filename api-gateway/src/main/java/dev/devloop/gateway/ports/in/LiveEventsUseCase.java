package dev.devloop.gateway.ports.in;

import dev.devloop.gateway.domain.EventChannel;
import dev.devloop.gateway.domain.LiveEvent;
import java.util.Set;
import java.util.function.Consumer;

/** Incoming port: live events in from Kafka, out to a tenant's subscribers, resumable from a buffer. */
public interface LiveEventsUseCase {

    /** Buffers an event and hands it to its tenant's subscribers of its channel. */
    void publish(LiveEvent event);

    /**
     * Subscribes {@code listener} to {@code tenant}'s events on {@code channels}. When {@code lastEventId}
     * is in the tenant's buffer, the buffered events after it are handed over first. Close to stop.
     */
    AutoCloseable subscribe(
            String tenant, Set<EventChannel> channels, String lastEventId, Consumer<LiveEvent> listener);
}
