package dev.devloop.gateway.adapters.out.redis;

import dev.devloop.gateway.config.GatewayConfig;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Readiness: Redis (rate limits, idempotency) answers PING within a bounded time. */
@Readiness
@ApplicationScoped
public class RedisReadinessCheck implements HealthCheck {
    private final ReactiveRedisDataSource redis;
    private final GatewayConfig config;

    public RedisReadinessCheck(ReactiveRedisDataSource redis, GatewayConfig config) {
        this.redis = redis;
        this.config = config;
    }

    @Override
    public HealthCheckResponse call() {
        try {
            redis.execute("PING").await().atMost(config.redis().healthTimeout());
            return HealthCheckResponse.up("redis");
        } catch (RuntimeException e) {
            return HealthCheckResponse.named("redis")
                    .down()
                    .withData(
                            "error",
                            e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()))
                    .build();
        }
    }
}
