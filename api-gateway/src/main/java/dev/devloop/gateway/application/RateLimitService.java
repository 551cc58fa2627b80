package dev.devloop.gateway.application;

import dev.devloop.gateway.domain.Caller;
import dev.devloop.gateway.domain.RateLimitDecision;
import dev.devloop.gateway.domain.RateLimitPolicy;
import dev.devloop.gateway.ports.in.RateLimitUseCase;
import dev.devloop.gateway.ports.out.RateLimitPort;
import java.util.concurrent.CompletionStage;

/** Applies the per-role policy per client (tenant + subject) and route. */
public final class RateLimitService implements RateLimitUseCase {
    private final RateLimitPort counter;
    private final RateLimitPolicy policy;

    public RateLimitService(RateLimitPort counter, RateLimitPolicy policy) {
        this.counter = counter;
        this.policy = policy;
    }

    @Override
    public RateLimitDecision check(Caller caller, String route) {
        return counter.acquire(caller.tenant(), caller.subject(), route, policy.limitFor(caller), policy.window());
    }

    @Override
    public CompletionStage<RateLimitDecision> checkAsync(Caller caller, String route) {
        return counter.acquireAsync(caller.tenant(), caller.subject(), route, policy.limitFor(caller), policy.window());
    }
}
