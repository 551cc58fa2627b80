package dev.devloop.gateway.ports.in;

import dev.devloop.gateway.domain.Caller;
import dev.devloop.gateway.domain.RateLimitDecision;
import java.util.concurrent.CompletionStage;

/** Incoming port: may this caller use this route now? */
public interface RateLimitUseCase {

    /** Counts the request and returns the decision with the numbers for the RateLimit headers. */
    RateLimitDecision check(Caller caller, String route);

    /** As {@link #check}, without blocking the calling thread. */
    CompletionStage<RateLimitDecision> checkAsync(Caller caller, String route);

    /**
     * A token of this instance's live lease for the caller and route, as the decision {@link #checkAsync} would
     * answer with right now, taken without a stage; null when there is none (then {@link #checkAsync} counts).
     */
    default RateLimitDecision checkLeased(Caller caller, String route) {
        return null;
    }
}
