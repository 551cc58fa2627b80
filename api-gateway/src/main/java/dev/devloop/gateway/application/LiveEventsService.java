package dev.devloop.gateway.application;

import dev.devloop.contracts.problem.Refusal;
import dev.devloop.gateway.domain.EventChannel;
import dev.devloop.gateway.domain.LiveEvent;
import dev.devloop.gateway.ports.in.LiveEventsUseCase;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Fans live events out to the subscribers of their tenant only, keeping the last {@code bufferPerTenant}
 * events of each of at most {@code maxTenants} tenants for {@code Last-Event-ID} resume. One lock orders
 * buffering, replay and delivery, so a resuming subscriber neither misses nor repeats an event.
 */
public final class LiveEventsService implements LiveEventsUseCase {
    private final int bufferPerTenant;
    private final int maxTenants;
    private final int maxSubscribersPerTenant;
    private final Map<String, TenantStream> streams = new LinkedHashMap<>(64, 0.75f, true);

    public LiveEventsService(int bufferPerTenant, int maxTenants, int maxSubscribersPerTenant) {
        if (bufferPerTenant < 1 || maxTenants < 1 || maxSubscribersPerTenant < 1) {
            throw new IllegalArgumentException("live-event bounds must be positive");
        }
        this.bufferPerTenant = bufferPerTenant;
        this.maxTenants = maxTenants;
        this.maxSubscribersPerTenant = maxSubscribersPerTenant;
    }

    /** One tenant's ring buffer and subscribers. */
    private static final class TenantStream {
        final ArrayDeque<LiveEvent> ring = new ArrayDeque<>();
        final List<Subscriber> subscribers = new ArrayList<>();
    }

    /** A subscriber and the channels it asked for. */
    private record Subscriber(Set<EventChannel> channels, Consumer<LiveEvent> listener) {}

    @Override
    public synchronized void publish(LiveEvent event) {
        TenantStream stream = stream(event.tenant());
        stream.ring.addLast(event);
        while (stream.ring.size() > bufferPerTenant) {
            stream.ring.removeFirst();
        }
        for (Subscriber subscriber : List.copyOf(stream.subscribers)) {
            if (subscriber.channels().contains(event.channel())) {
                subscriber.listener().accept(event);
            }
        }
    }

    @Override
    public synchronized AutoCloseable subscribe(
            String tenant, Set<EventChannel> channels, String lastEventId, Consumer<LiveEvent> listener) {
        TenantStream stream = stream(tenant);
        if (stream.subscribers.size() >= maxSubscribersPerTenant) {
            throw new Refusal(
                    Refusal.Reason.TOO_MANY,
                    "too-many-streams",
                    "Too many event streams",
                    "at most " + maxSubscribersPerTenant + " open event streams per tenant",
                    null);
        }
        Set<EventChannel> wanted = Set.copyOf(channels);
        if (lastEventId != null) {
            for (LiveEvent event : after(stream.ring, lastEventId)) {
                if (wanted.contains(event.channel())) {
                    listener.accept(event);
                }
            }
        }
        Subscriber subscriber = new Subscriber(wanted, listener);
        stream.subscribers.add(subscriber);
        return () -> unsubscribe(tenant, subscriber);
    }

    /** How many events are buffered for a tenant (for tests and metrics). */
    public synchronized int buffered(String tenant) {
        TenantStream stream = streams.get(tenant);
        return stream == null ? 0 : stream.ring.size();
    }

    /** How many streams a tenant has open (for tests and metrics). */
    public synchronized int streams(String tenant) {
        TenantStream stream = streams.get(tenant);
        return stream == null ? 0 : stream.subscribers.size();
    }

    private synchronized void unsubscribe(String tenant, Subscriber subscriber) {
        TenantStream stream = streams.get(tenant);
        if (stream != null) {
            stream.subscribers.remove(subscriber);
        }
    }

    /** The buffered events after {@code lastEventId}; none when it is not (or no longer) in the buffer. */
    private static List<LiveEvent> after(ArrayDeque<LiveEvent> ring, String lastEventId) {
        List<LiveEvent> later = new ArrayList<>();
        boolean found = false;
        for (LiveEvent event : ring) {
            if (found) {
                later.add(event);
            } else if (event.id().equals(lastEventId)) {
                found = true;
            }
        }
        return later;
    }

    private TenantStream stream(String tenant) {
        TenantStream stream = streams.computeIfAbsent(tenant, t -> new TenantStream());
        if (streams.size() > maxTenants) {
            Iterator<Map.Entry<String, TenantStream>> eldest =
                    streams.entrySet().iterator();
            while (streams.size() > maxTenants && eldest.hasNext()) {
                Map.Entry<String, TenantStream> entry = eldest.next();
                if (entry.getValue() != stream && entry.getValue().subscribers.isEmpty()) {
                    eldest.remove();
                }
            }
        }
        return stream;
    }
}
