package dev.devloop.provider.adapters.out.langchain.openai;

import dev.devloop.provider.adapters.out.langchain.GuardKeys;
import dev.devloop.provider.ports.out.CircuitPolicy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import org.eclipse.microprofile.config.Config;

/**
 * The OpenAI call's circuit breaker (named {@value #CIRCUIT}) and backstop timeout. Both run in the provider's one
 * SmallRye guard with its bulkhead and retries ({@code ProviderInvoker}), so this bean only reads their settings, under
 * the keys the annotated bean had: {@code quarkus.fault-tolerance."<this class>/chat".circuit-breaker.*} and
 * {@code .timeout.value}/{@code .timeout.unit}.
 */
@ApplicationScoped
public class OpenAiCalls {
    static final String CIRCUIT = OpenAiChatProvider.NAME;
    /** How long the circuit stays open before a trial call; also the Retry-After sent while it is open. */
    static final long CIRCUIT_DELAY_SECONDS = 30;

    private final CircuitPolicy circuit;
    private final Duration backstop;

    @Inject
    public OpenAiCalls(Config config) {
        GuardKeys keys = new GuardKeys(config, OpenAiCalls.class);
        this.circuit = new CircuitPolicy(
                CIRCUIT,
                keys.circuitBreaker("request-volume-threshold", Integer.class, 20),
                keys.circuitBreaker("failure-ratio", Double.class, 0.5),
                keys.circuitDelay(CIRCUIT_DELAY_SECONDS),
                keys.circuitBreaker("success-threshold", Integer.class, 2));
        this.backstop = keys.timeout(150);
    }

    /** The circuit breaker of the {@code openai} provider's calls. */
    public CircuitPolicy circuit() {
        return circuit;
    }

    /** The backstop on one attempt (the HTTP timeout is the real bound; this caps an attempt that hangs elsewhere). */
    public Duration backstop() {
        return backstop;
    }
}
