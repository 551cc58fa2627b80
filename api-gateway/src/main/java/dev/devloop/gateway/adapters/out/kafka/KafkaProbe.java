package dev.devloop.gateway.adapters.out.kafka;

import dev.devloop.gateway.config.GatewayConfig;
import dev.devloop.gateway.ports.out.DependencyProbe;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Kafka's cluster answers {@code describeCluster} within the probe timeout. Live events (SSE, WebSocket), webhook
 * deliveries and GitHub webhooks in need it; nothing else does.
 */
@Singleton
public class KafkaProbe implements DependencyProbe {
    private final String bootstrap;
    private final int timeoutMs;
    private volatile Admin admin;

    public KafkaProbe(@ConfigProperty(name = "kafka.bootstrap.servers") String bootstrap, GatewayConfig config) {
        this.bootstrap = bootstrap;
        this.timeoutMs = (int) Math.max(500, config.hop().readinessTimeout().toMillis());
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
                    admin = Admin.create(Map.of(
                            AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                            AdminClientConfig.CLIENT_ID_CONFIG, "api-gateway-probe",
                            AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, timeoutMs,
                            AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, timeoutMs,
                            AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 5000));
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
