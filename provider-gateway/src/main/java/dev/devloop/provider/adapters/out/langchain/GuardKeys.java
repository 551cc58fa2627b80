package dev.devloop.provider.adapters.out.langchain;

import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import org.eclipse.microprofile.config.Config;

/**
 * The one reader of a provider guard's configuration overrides, under the keys SmallRye gives the {@code chat} method
 * of its {@code *Calls} bean: {@code quarkus.fault-tolerance."<class>/chat".circuit-breaker.*} and
 * {@code .timeout.value}/{@code .timeout.unit}. Durations default to seconds, the annotations' unit.
 */
public final class GuardKeys {
    private final Config config;
    private final String prefix;

    public GuardKeys(Config config, Class<?> guardClass) {
        this.config = config;
        this.prefix = "quarkus.fault-tolerance.\"" + guardClass.getName() + "/chat\".";
    }

    /** How long the circuit stays open before a trial call. */
    public Duration circuitDelay(long defaultSeconds) {
        return duration("circuit-breaker.delay", "circuit-breaker.delay-unit", defaultSeconds);
    }

    /** The backstop timeout on one attempt. */
    public Duration timeout(long defaultSeconds) {
        return duration("timeout.value", "timeout.unit", defaultSeconds);
    }

    /** A circuit-breaker setting ({@code request-volume-threshold}, {@code failure-ratio}, …). */
    public <T> T circuitBreaker(String key, Class<T> type, T defaultValue) {
        return config.getOptionalValue(prefix + "circuit-breaker." + key, type).orElse(defaultValue);
    }

    private Duration duration(String valueKey, String unitKey, long defaultSeconds) {
        long value = config.getOptionalValue(prefix + valueKey, Long.class).orElse(defaultSeconds);
        ChronoUnit unit = config.getOptionalValue(prefix + unitKey, String.class)
                .map(u -> ChronoUnit.valueOf(u.toUpperCase(Locale.ROOT)))
                .orElse(ChronoUnit.SECONDS);
        return Duration.of(value, unit);
    }
}
