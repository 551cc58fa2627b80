package dev.devloop.provider.adapters.out.kafka;

import dev.devloop.contracts.events.UsageBatches;
import dev.devloop.provider.domain.UsageRecord;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The usage records waiting for the next signed batch. Request threads only {@link #offer} (a lock-free queue and
 * one counter: never blocks, never does I/O); one flusher thread takes them out grouped by tenant, in batches of at
 * most {@link UsageBatches#MAX_RECORDS}, so a batch never mixes tenants. At most {@code capacity} records wait,
 * counting those the flusher holds; past that {@link #offer} refuses and the caller counts the drop.
 */
final class UsageBuffer {
    static final int MAX_BATCH = UsageBatches.MAX_RECORDS;

    private final int capacity;
    private final Queue<UsageRecord> incoming = new ConcurrentLinkedQueue<>();
    private final AtomicInteger size = new AtomicInteger();
    /** Records moved out of {@link #incoming}, per tenant in arrival order; the flusher thread's own. */
    private final Map<String, List<UsageRecord>> held = new LinkedHashMap<>();

    UsageBuffer(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("the usage buffer needs room for at least one record");
        }
        this.capacity = capacity;
    }

    /**
     * Buffers {@code record}; the number of records now waiting, or -1 when the buffer is full and the record was
     * not taken.
     */
    int offer(UsageRecord record) {
        int now = size.incrementAndGet();
        if (now > capacity) {
            size.decrementAndGet();
            return -1;
        }
        incoming.add(record);
        return now;
    }

    /** Records waiting, including those the flusher has grouped but not yet taken. */
    int size() {
        return size.get();
    }

    /** Flusher thread: the full batches ({@link #MAX_BATCH} records of one tenant each); the rest keeps waiting. */
    List<List<UsageRecord>> takeFull() {
        return take(false);
    }

    /** Flusher thread: everything waiting, as batches of one tenant of at most {@link #MAX_BATCH} records. */
    List<List<UsageRecord>> takeAll() {
        return take(true);
    }

    /** Synchronized only for a shutdown that flushes while a stuck flusher may still run; uncontended otherwise. */
    private synchronized List<List<UsageRecord>> take(boolean all) {
        UsageRecord r;
        while ((r = incoming.poll()) != null) {
            held.computeIfAbsent(r.tenant(), t -> new ArrayList<>()).add(r);
        }
        List<List<UsageRecord>> batches = new ArrayList<>();
        var tenants = held.entrySet().iterator();
        while (tenants.hasNext()) {
            List<UsageRecord> records = tenants.next().getValue();
            int from = 0;
            while (records.size() - from >= MAX_BATCH || (all && from < records.size())) {
                int to = Math.min(records.size(), from + MAX_BATCH);
                batches.add(List.copyOf(records.subList(from, to)));
                from = to;
            }
            if (from == records.size()) {
                tenants.remove(); // no map entry outlives a tenant's last record
            } else if (from > 0) {
                records.subList(0, from).clear();
            }
            size.addAndGet(-from);
        }
        return batches;
    }
}
