package dev.devloop.provider.adapters.out.redis;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Spend not yet written to Redis, summed per key (tenant and period). Request threads {@link #add}; one flusher at a
 * time {@link #take}s what waits, writes it and reports each key {@link #written} or {@link #failed}. A key's amounts
 * (waiting, being written) change together in one atomic step, so {@link #local} never misses an amount on its way
 * to Redis. At most {@code maxKeys} keys are held (checked before a new key is added: concurrent adds may pass it by
 * a few).
 */
final class PendingSpend {
    /** What a failed key's amount became. */
    enum Retry {
        RETRIED,
        GIVEN_UP
    }

    /** Immutable, replaced per change: a reader sees both amounts of one moment. */
    private record Amounts(double waiting, double writing) {}

    private final int maxKeys;
    private final int maxAttempts;
    private final ConcurrentHashMap<String, Amounts> keys = new ConcurrentHashMap<>();
    /** Consecutive failed writes per key; the flusher's own (flushes never overlap). */
    private final Map<String, Integer> attempts = new HashMap<>();

    PendingSpend(int maxKeys, int maxAttempts) {
        if (maxKeys < 1 || maxAttempts < 1) {
            throw new IllegalArgumentException("pending spend needs room for one key and one attempt");
        }
        this.maxKeys = maxKeys;
        this.maxAttempts = maxAttempts;
    }

    /** Adds {@code usd} to {@code key}; false (nothing added) when {@code maxKeys} other keys are held. */
    boolean add(String key, double usd) {
        if (keys.size() >= maxKeys && !keys.containsKey(key)) {
            return false;
        }
        keys.compute(key, (k, a) -> a == null ? new Amounts(usd, 0) : new Amounts(a.waiting + usd, a.writing));
        return true;
    }

    /** The amount of {@code key} not yet confirmed written (waiting or being written). */
    double local(String key) {
        Amounts a = keys.get(key);
        return a == null ? 0 : a.waiting + a.writing;
    }

    /** Flusher: every waiting amount, now "being written". */
    Map<String, Double> take() {
        Map<String, Double> taken = new LinkedHashMap<>();
        for (String key : keys.keySet()) {
            keys.computeIfPresent(key, (k, a) -> {
                if (a.waiting == 0) {
                    return a;
                }
                taken.put(k, a.waiting);
                return new Amounts(0, a.writing + a.waiting);
            });
        }
        return taken;
    }

    /** Flusher: Redis has what was taken for {@code key}. */
    void written(String key) {
        attempts.remove(key);
        keys.computeIfPresent(key, (k, a) -> a.waiting == 0 ? null : new Amounts(a.waiting, 0));
    }

    /**
     * Flusher: the write of what was taken for {@code key} ({@code usd}) failed. It waits again for the next flush,
     * or, after {@code maxAttempts} consecutive failures of the key, is given up (the caller counts and logs it).
     */
    Retry failed(String key, double usd) {
        int n = attempts.merge(key, 1, Integer::sum);
        boolean giveUp = n >= maxAttempts;
        if (giveUp) {
            attempts.remove(key);
        }
        keys.computeIfPresent(key, (k, a) -> {
            double waiting = giveUp ? a.waiting : a.waiting + usd;
            return waiting == 0 ? null : new Amounts(waiting, 0);
        });
        return giveUp ? Retry.GIVEN_UP : Retry.RETRIED;
    }

    /** Keys held (waiting or being written). */
    int held() {
        return keys.size();
    }
}
