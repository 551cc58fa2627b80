package dev.devloop.provider.adapters.out.redis;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Per key (tenant and period): the spend not yet written to Redis, and the memo of the total Redis last reported.
 * Request threads {@link #add} and {@link #read}; one flusher at a time {@link #take}s what waits, writes it and
 * reports each key {@link #written} (with the total Redis answered) or {@link #failed}, and {@link #loaded} totals it
 * read. A key's amounts and its memo change together in one atomic step, so {@link Held#total} never misses an amount
 * on its way to Redis nor counts one twice. At most {@code maxKeys} keys are held (checked before a new key is added:
 * concurrent adds may pass it by a few); memo-only keys are {@link #evict}ed once unread.
 */
final class PendingSpend {
    /** What a failed key's amount became. */
    enum Retry {
        RETRIED,
        GIVEN_UP
    }

    /**
     * Immutable, replaced per change: a reader sees one moment. {@code flushed}: Redis' total when last read or
     * written, NaN while unknown; it never includes {@code waiting} nor {@code writing}.
     */
    record Held(double waiting, double writing, double flushed, long flushedAt) {
        static final double UNKNOWN = Double.NaN;

        boolean known() {
            return !Double.isNaN(flushed);
        }

        double local() {
            return waiting + writing;
        }

        /** Everything spent as far as this instance knows (the local amount while the total is unknown). */
        double total() {
            return known() ? flushed + waiting + writing : waiting + writing;
        }

        boolean pending() {
            return waiting != 0 || writing != 0;
        }
    }

    private final int maxKeys;
    private final int maxAttempts;
    private final ConcurrentHashMap<String, Held> keys = new ConcurrentHashMap<>();
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
        keys.compute(
                key,
                (k, a) -> a == null
                        ? new Held(usd, 0, Held.UNKNOWN, 0)
                        : new Held(a.waiting + usd, a.writing, a.flushed, a.flushedAt));
        return true;
    }

    /** The key's amounts and memo of this moment; null when none is held. */
    Held read(String key) {
        return keys.get(key);
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
                return new Held(0, a.writing + a.waiting, a.flushed, a.flushedAt);
            });
        }
        return taken;
    }

    /** Flusher: Redis has what was taken for {@code key} and answered {@code total}, which includes it. */
    void written(String key, double total, long now) {
        attempts.remove(key);
        keys.computeIfPresent(key, (k, a) -> new Held(a.waiting, 0, total, now));
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
            return waiting == 0 && !a.known() ? null : new Held(waiting, 0, a.flushed, a.flushedAt);
        });
        return giveUp ? Retry.GIVEN_UP : Retry.RETRIED;
    }

    /**
     * Flusher, between writes (so no write of this instance is on its way): Redis holds {@code total} for
     * {@code key}. Kept as the memo unless a new key would pass {@code maxKeys}.
     */
    void loaded(String key, double total, long now) {
        keys.compute(key, (k, a) -> {
            if (a == null) {
                return keys.size() >= maxKeys ? null : new Held(0, 0, total, now);
            }
            return a.writing != 0 ? a : new Held(a.waiting, 0, total, now);
        });
    }

    /**
     * Flusher: the read of {@code key} failed. Budgets fail open: an unknown total counts as 0, a known one stays;
     * either is retried after the memo period.
     */
    void loadFailed(String key, long now) {
        keys.compute(key, (k, a) -> {
            if (a == null) {
                return keys.size() >= maxKeys ? null : new Held(0, 0, 0, now);
            }
            return a.writing != 0 ? a : new Held(a.waiting, 0, a.known() ? a.flushed : 0, now);
        });
    }

    /** Flusher: drops memo-only keys whose memo is older than {@code maxAgeNanos} (nobody asked for a reload). */
    void evict(long now, long maxAgeNanos) {
        keys.values().removeIf(a -> !a.pending() && (!a.known() || now - a.flushedAt > maxAgeNanos));
    }

    /** Shutdown, after the drain: gives up every amount still held; returns what each key lost. */
    Map<String, Double> abandon() {
        Map<String, Double> lost = new LinkedHashMap<>();
        for (String key : keys.keySet()) {
            keys.computeIfPresent(key, (k, a) -> {
                if (a.pending()) {
                    lost.put(k, a.local());
                }
                return null;
            });
        }
        attempts.clear();
        return lost;
    }

    /** Keys with an amount not yet confirmed written (waiting or being written). */
    int held() {
        int n = 0;
        for (Held a : keys.values()) {
            if (a.pending()) {
                n++;
            }
        }
        return n;
    }
}
