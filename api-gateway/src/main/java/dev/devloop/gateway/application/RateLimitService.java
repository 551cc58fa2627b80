package dev.devloop.gateway.application;

import dev.devloop.gateway.domain.Caller;
import dev.devloop.gateway.domain.LeasePolicy;
import dev.devloop.gateway.domain.RateLimitDecision;
import dev.devloop.gateway.domain.RateLimitPolicy;
import dev.devloop.gateway.ports.in.RateLimitUseCase;
import dev.devloop.gateway.ports.out.RateLimitPort;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.LongSupplier;

/**
 * Applies the per-role policy per client (tenant + subject) and route. On the non-blocking path a client whose
 * limit is large enough spends tokens leased from the shared counter ({@link LeasePolicy}): one counter call per
 * lease instead of one per request.
 */
public final class RateLimitService implements RateLimitUseCase {
    private final RateLimitPort counter;
    private final RateLimitPolicy policy;
    private final LeasePolicy leasePolicy;
    private final RateLimitLeases leases;

    public RateLimitService(RateLimitPort counter, RateLimitPolicy policy) {
        this(counter, policy, LeasePolicy.NONE, System::nanoTime);
    }

    public RateLimitService(
            RateLimitPort counter, RateLimitPolicy policy, LeasePolicy leasePolicy, LongSupplier nanoClock) {
        this.counter = counter;
        this.policy = policy;
        this.leasePolicy = leasePolicy;
        this.leases = new RateLimitLeases(leasePolicy, nanoClock);
    }

    @Override
    public RateLimitDecision check(Caller caller, String route) {
        return counter.acquire(caller.tenant(), caller.subject(), route, policy.limitFor(caller), policy.window());
    }

    @Override
    public RateLimitDecision checkLeased(Caller caller, String route) {
        int tokens = leasePolicy.tokensFor(policy.limitFor(caller));
        return tokens <= 1 ? null : leases.take(leaseKey(caller, route));
    }

    @Override
    public CompletionStage<RateLimitDecision> checkAsync(Caller caller, String route) {
        int limit = policy.limitFor(caller);
        int tokens = leasePolicy.tokensFor(limit);
        if (tokens <= 1) {
            return counter.acquireAsync(caller.tenant(), caller.subject(), route, limit, policy.window());
        }
        String key = leaseKey(caller, route);
        RateLimitDecision leased = leases.take(key);
        if (leased != null) {
            return CompletableFuture.completedFuture(leased);
        }
        return counter.leaseAsync(caller.tenant(), caller.subject(), route, limit, policy.window(), tokens)
                .thenApply(lease -> {
                    leases.granted(key, lease);
                    RateLimitDecision counted = lease.decision();
                    return lease.granted() <= 1
                            ? counted
                            : new RateLimitDecision(
                                    true, limit, counted.remaining() + lease.granted() - 1, counted.resetSeconds());
                });
    }

    /** One lease per client (tenant + subject) and route. */
    private static String leaseKey(Caller caller, String route) {
        return caller.tenant() + '\u0000' + caller.subject() + '\u0000' + route;
    }

    /** Clients holding a live or lapsed lease (for tests). */
    int leasedKeys() {
        return leases.size();
    }
}
