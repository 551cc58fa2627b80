package dev.devloop.provider.adapters.out.langchain.openai;

import dev.devloop.provider.ports.out.CircuitPolicy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
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

    private static final String PREFIX = "quarkus.fault-tolerance.\"" + OpenAiCalls.class.getName() + "/chat\".";

    private final CircuitPolicy circuit;
    private final Duration backstop;

    @Inject
    public OpenAiCalls(Config config) {
        String cb = PREFIX + "circuit-breaker.";
        this.circuit = new CircuitPolicy(
                CIRCUIT,
                config.getOptionalValue(cb + "request-volume-threshold", Integer.class)
                        .orElse(20),
                config.getOptionalValue(cb + "failure-ratio", Double.class).orElse(0.5),
                duration(config, cb + "delay", cb + "delay-unit", CIRCUIT_DELAY_SECONDS),
                config.getOptionalValue(cb + "success-threshold", Integer.class).orElse(2));
        this.backstop = duration(config, PREFIX + "timeout.value", PREFIX + "timeout.unit", 150);
    }

    /** The circuit breaker of the {@code openai} provider's calls. */
    public CircuitPolicy circuit() {
        return circuit;
    }

    /** The backstop on one attempt (the HTTP timeout is the real bound; this caps an attempt that hangs elsewhere). */
    public Duration backstop() {
        return backstop;
    }

    private static Duration duration(Config config, String valueKey, String unitKey, long defaultSeconds) {
        long value = config.getOptionalValue(valueKey, Long.class).orElse(defaultSeconds);
        ChronoUnit unit = config.getOptionalValue(unitKey, String.class)
                .map(u -> ChronoUnit.valueOf(u.toUpperCase(Locale.ROOT)))
                .orElse(ChronoUnit.SECONDS); // the annotations' unit
        return Duration.of(value, unit);
    }
}
