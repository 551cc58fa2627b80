package dev.devloop.knowledge.adapters.out.redis;

import dev.devloop.knowledge.adapters.out.ReadinessProbe;
import dev.devloop.knowledge.config.KnowledgeConfig;
import io.quarkus.redis.datasource.RedisDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Readiness of the short tier: a bounded Redis PING. */
@Readiness
@ApplicationScoped
public class RedisReadinessCheck implements HealthCheck {
    private final RedisDataSource redis;
    private final KnowledgeConfig config;

    public RedisReadinessCheck(RedisDataSource redis, KnowledgeConfig config) {
        this.redis = redis;
        this.config = config;
    }

    @Override
    public HealthCheckResponse call() {
        return ReadinessProbe.check(RedisFactStore.STORE, config.stores().healthTimeout(), () -> redis.execute("PING"));
    }
}
