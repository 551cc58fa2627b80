package dev.devloop.gateway.adapters.out.kafka;

import dev.devloop.gateway.config.GatewayConfig;
import dev.devloop.gateway.ports.out.DependencyProbe;
import io.quarkus.runtime.ShutdownEvent;
import io.smallrye.common.annotation.Identifier;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;

/**
 * Kafka's cluster answers {@code describeCluster} within the probe timeout. Live events (SSE, WebSocket), webhook
 * deliveries and GitHub webhooks in need it; nothing else does.
 */
@Singleton
public class KafkaProbe implements DependencyProbe {
    private final Map<String, Object> broker;
    private final int timeoutMs;
    private volatile Admin admin;

    /** {@code broker}: every {@code kafka.*} property (bootstrap servers and the chart's SASL/TLS settings). */
    public KafkaProbe(@Identifier("default-kafka-broker") Map<String, Object> broker, GatewayConfig config) {
        this.broker = broker;
        this.timeoutMs = (int) Math.max(500, config.hop().readinessTimeout().toMillis());
    }

    /** The broker configuration plus the probe's own client id and short timeouts, which win over the broker's. */
    static Map<String, Object> adminConfig(Map<String, Object> broker, int timeoutMs) {
        Map<String, Object> config = new HashMap<>();
        // only what an AdminClient knows: consumer/producer keys (group.id, serializers…) would be logged as unknown
        broker.forEach((key, value) -> {
            if (AdminClientConfig.configNames().contains(key) || key.startsWith("sasl.") || key.startsWith("ssl.")) {
                config.put(key, value);
            }
        });
        config.put(AdminClientConfig.CLIENT_ID_CONFIG, "api-gateway-probe");
        config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, timeoutMs);
        config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, timeoutMs);
        config.put(AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 5000);
        return config;
    }

    @Override
    public String name() {
        return "kafka";
    }

    @Override
    public String affects() {
        return "live events (SSE, /ws) pause, GitHub webhooks in answer 503, webhook deliveries wait";
    }

    @Override
    public Result probe() {
        try {
            int nodes = admin().describeCluster(new DescribeClusterOptions().timeoutMs(timeoutMs))
                    .nodes()
                    .get(timeoutMs + 500L, TimeUnit.MILLISECONDS)
                    .size();
            return nodes > 0 ? Result.up(nodes + " broker(s)") : Result.down("no brokers");
        } catch (ExecutionException e) {
            return Result.down(e.getCause() == null ? e : e.getCause());
        } catch (TimeoutException | RuntimeException e) {
            return Result.down(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Result.down("interrupted");
        }
    }

    private Admin admin() {
        Admin current = admin;
        if (current == null) {
            synchronized (this) {
                if (admin == null) {
                    admin = Admin.create(adminConfig(broker, timeoutMs));
                }
                current = admin;
            }
        }
        return current;
    }

    void close(@Observes ShutdownEvent event) {
        Admin current = admin;
        if (current != null) {
            current.close(java.time.Duration.ofSeconds(1));
        }
    }
}
