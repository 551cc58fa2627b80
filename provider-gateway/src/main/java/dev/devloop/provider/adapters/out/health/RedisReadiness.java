package dev.devloop.provider.adapters.out.health;

import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Readiness entry {@code redis}: always UP, since without Redis the gateway still serves model calls (the response
 * cache is skipped, budgets fail open, runtime settings fall back to the configured defaults). Its data says
 * {@code state} {@code OK} or {@code DEGRADED} with the {@code reason}. Each call starts a PING bounded by
 * {@value #PROBE_SECONDS} s and answers with the latest finished result, so a Redis that hangs never makes the probe
 * itself slow; only the very first call waits for its PING (at most the bound).
 */
@Readiness
@ApplicationScoped
public class RedisReadiness implements HealthCheck {
    static final long PROBE_SECONDS = 2;
    private static final Duration PROBE = Duration.ofSeconds(PROBE_SECONDS);
    private static final String AFFECTS = "response cache skipped, budgets not enforced, runtime settings at defaults";

    private final ReactiveRedisDataSource redis;
    private final AtomicBoolean probing = new AtomicBoolean();
    private final AtomicReference<String> failure = new AtomicReference<>();
    private volatile boolean probed;

    public RedisReadiness(ReactiveRedisDataSource redis) {
        this.redis = redis;
    }

    @Override
    public HealthCheckResponse call() {
        if (probing.compareAndSet(false, true)) {
            var ping = redis.execute("PING")
                    .ifNoItem()
                    .after(PROBE)
                    .fail()
                    .onItemOrFailure()
                    .invoke((ok, error) -> {
                        failure.set(error == null ? null : describe(error));
                        probed = true;
                        probing.set(false);
                    })
                    .subscribeAsCompletionStage();
            if (!probed) {
                try {
                    ping.toCompletableFuture().get(PROBE_SECONDS + 1, java.util.concurrent.TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                    // recorded by the probe itself
                }
            }
        }
        var response = HealthCheckResponse.named("redis").up();
        String error = failure.get();
        if (!probed) {
            return response.withData("state", "UNKNOWN")
                    .withData("reason", "first probe pending")
                    .build();
        }
        if (error == null) {
            return response.withData("state", "OK").build();
        }
        return response.withData("state", "DEGRADED")
                .withData("reason", "redis unreachable (" + error + "): " + AFFECTS)
                .build();
    }

    private static String describe(Throwable error) {
        Throwable root = error;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage();
        return root.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    }
}
