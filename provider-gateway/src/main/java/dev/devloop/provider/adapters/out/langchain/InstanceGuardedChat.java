package dev.devloop.provider.adapters.out.langchain;

import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import io.smallrye.faulttolerance.api.Guard;
import java.time.Duration;
import java.time.temporal.ChronoUnit;

/**
 * The guarded call of a provider configured at run time (a named instance): the same backstop
 * timeout and circuit breaker as the built-in providers' {@code *Calls} beans, built with SmallRye
 * Fault Tolerance's programmatic {@link Guard}. The circuit is named like the provider, so
 * {@code CircuitBreakerMaintenance} (and {@code /v1/providers}) see it; request-caused failures are
 * returned, not thrown, and never count against it.
 */
public final class InstanceGuardedChat implements GuardedChat {
    /** Backstop above the HTTP timeout, as on the built-in providers' beans. */
    static final long BACKSTOP_SECONDS = 150;

    private final String provider;
    private final String keySetting;
    private final Guard guard;

    public InstanceGuardedChat(
            String provider,
            String keySetting,
            int requestVolumeThreshold,
            double failureRatio,
            Duration delay,
            int successThreshold) {
        this.provider = provider;
        this.keySetting = keySetting;
        this.guard = Guard.create()
                .withDescription("provider " + provider)
                .withTimeout()
                .duration(BACKSTOP_SECONDS, ChronoUnit.SECONDS)
                .done()
                .withCircuitBreaker()
                .name(provider)
                .requestVolumeThreshold(requestVolumeThreshold)
                .failureRatio(failureRatio)
                .delay(Math.max(1, delay.toMillis()), ChronoUnit.MILLIS)
                .successThreshold(successThreshold)
                .done()
                .build();
    }

    @Override
    public Outcome chat(ChatModel model, ChatRequest request, Duration httpTimeout) {
        return guard.get(() -> GuardedChat.run(provider, keySetting, model, request, httpTimeout), Outcome.class);
    }
}
