package dev.devloop.knowledge.adapters.out.redis;

import dev.devloop.knowledge.adapters.out.ReadinessProbe;
import dev.devloop.knowledge.config.KnowledgeConfig;
import io.quarkus.redis.datasource.RedisDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * The short tier and the read cache in readiness: a bounded Redis PING. Without Redis the service still serves its
 * core requests (medium and long facts, the graph, search, RAG, the roadmap; reads skip the cache), so an outage
 * reports {@code state: DEGRADED} with the reason and stays UP: taking every replica out of service because of a
 * shared store the core path does not need would turn a partial outage into a full one. Short-tier facts (TTL
 * below 60 s) answer 503 with {@code Retry-After} meanwhile.
 */
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
        HealthCheckResponse probe = ReadinessProbe.check(
                RedisFactStore.STORE, config.stores().healthTimeout(), () -> redis.execute("PING"));
        if (probe.getStatus() == HealthCheckResponse.Status.UP) {
            return HealthCheckResponse.named(RedisFactStore.STORE)
                    .up()
                    .withData("state", "OK")
                    .build();
        }
        return HealthCheckResponse.named(RedisFactStore.STORE)
                .up()
                .withData("state", "DEGRADED")
                .withData(
                        "error",
                        probe.getData().map(d -> String.valueOf(d.get("error"))).orElse("unreachable"))
                .withData("effect", "short-tier facts answer 503; reads skip the cache")
                .build();
    }
}
