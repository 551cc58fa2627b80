package dev.devloop.knowledge.support;

import dev.devloop.knowledge.ports.out.ProcessedEventsPort;
import dev.devloop.knowledge.ports.out.TierUnavailableException;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Processed event ids held in a map, which a test can take down. */
public class InMemoryProcessedEvents implements ProcessedEventsPort {
    private final Map<String, Instant> ids = new ConcurrentHashMap<>();
    private volatile boolean down;

    public void down(boolean down) {
        this.down = down;
    }

    public int size() {
        return ids.size();
    }

    private void check() {
        if (down) {
            throw new TierUnavailableException("events-store", null);
        }
    }

    @Override
    public boolean isProcessed(String consumer, String tenant, String eventId) {
        check();
        return ids.containsKey(consumer + "|" + tenant + "|" + eventId);
    }

    @Override
    public void markProcessed(String consumer, String tenant, String eventId, Instant at) {
        check();
        ids.put(consumer + "|" + tenant + "|" + eventId, at);
    }

    @Override
    public int forgetBefore(Instant before, int limit) {
        check();
        int[] removed = {0};
        ids.entrySet().removeIf(e -> e.getValue().isBefore(before) && removed[0]++ < limit);
        return Math.min(removed[0], limit);
    }
}
