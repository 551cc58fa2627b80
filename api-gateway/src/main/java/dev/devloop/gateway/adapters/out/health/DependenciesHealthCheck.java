package dev.devloop.gateway.adapters.out.health;

import io.smallrye.health.api.HealthGroup;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;

/**
 * {@code /q/health/group/dependencies}: one entry per dependency (siblings in the default cell, MongoDB, Kafka)
 * with its latest probe, DOWN when any is down. Not part of readiness: a sibling down makes its own routes answer
 * 503, not the gateway leave the load balancer.
 */
@HealthGroup("dependencies")
@ApplicationScoped
public class DependenciesHealthCheck implements HealthCheck {
    private final DependencyMonitor monitor;

    public DependenciesHealthCheck(DependencyMonitor monitor) {
        this.monitor = monitor;
    }

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder response =
                HealthCheckResponse.named("dependencies").up();
        for (DependencyMonitor.Status status : monitor.snapshot().values()) {
            response.withData(status.name(), (status.up() ? "UP" : "DOWN") + " (" + status.detail() + ")");
            if (!status.up()) {
                response.down();
            }
        }
        return response.build();
    }
}
