package dev.devloop.gateway.application;

import dev.devloop.gateway.domain.LeasePolicy;
import dev.devloop.gateway.domain.RateLimitDecision;
import dev.devloop.gateway.domain.RateLimitLease;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Tokens leased from the shared rate-limit window, spent locally per client and route (see {@link LeasePolicy}).
 * Leases that arrive while one is still live are pooled into it, so requests that asked the counter at the same
 * moment waste nothing; tokens left when a lease lapses stay counted in the shared window (stricter, never looser).
 */
final class RateLimitLeases {
    private final LeasePolicy policy;
    private final LongSupplier nanoClock;
    private final Map<String, Lease> leases = new ConcurrentHashMap<>();

    RateLimitLeases(LeasePolicy policy, LongSupplier nanoClock) {
        this.policy = policy;
        this.nanoClock = nanoClock;
    }

    /** One token of a live lease of {@code key}, as the decision to answer with; null when there is none. */
    RateLimitDecision take(String key) {
        Lease lease = leases.get(key);
        return lease == null ? null : lease.take(nanoClock.getAsLong());
    }

    /**
     * Records a lease the counter granted for {@code key}, one of whose tokens the request that asked for it spends
     * now; the rest go to the lease of {@code key} (a new one, or the live one they are added to).
     */
    void granted(String key, RateLimitLease lease) {
        int spare = lease.granted() - 1;
        if (spare <= 0) {
            return;
        }
        long now = nanoClock.getAsLong();
        long expires = now + policy.ttl().toNanos();
        Lease live = leases.get(key);
        if (live != null && live.add(spare, lease.decision(), now)) {
            return;
        }
        if (leases.size() >= policy.maxKeys() && !evictLapsed(now)) {
            return; // full of live leases: this client asks the counter per request until one lapses
        }
        leases.put(key, new Lease(spare, lease.decision(), expires));
    }

    int size() {
        return leases.size();
    }

    private boolean evictLapsed(long now) {
        leases.values().removeIf(lease -> lease.lapsed(now));
        return leases.size() < policy.maxKeys();
    }

    /** Spare tokens of one client and route, until {@code expires} (nanoTime). */
    private static final class Lease {
        private int left;
        private RateLimitDecision decision;
        private final long expires;

        Lease(int left, RateLimitDecision decision, long expires) {
            this.left = left;
            this.decision = decision;
            this.expires = expires;
        }

        synchronized RateLimitDecision take(long now) {
            if (left <= 0 || now - expires >= 0) {
                return null;
            }
            left--;
            // the counter counted this lease's tokens as used: what this client has left is the window's room
            // plus the tokens still here
            return new RateLimitDecision(true, decision.limit(), decision.remaining() + left, decision.resetSeconds());
        }

        synchronized boolean add(int tokens, RateLimitDecision latest, long now) {
            if (now - expires >= 0) {
                return false;
            }
            left += tokens;
            decision = latest;
            return true;
        }

        synchronized boolean lapsed(long now) {
            return left <= 0 || now - expires >= 0;
        }
    }
}
