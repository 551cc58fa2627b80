package dev.devloop.tools.adapters.out.http;

import io.smallrye.health.api.HealthGroup;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.rest.client.inject.RestClient;

/**
 * Health of the knowledge-service dependency, bounded by the health client's short timeouts. Reported in
 * the {@code dependencies} group (/q/health/group/dependencies), not in readiness: a knowledge outage
 * fails only the knowledge tools, and must not take every tool-service replica out of rotation.
 */
@HealthGroup("dependencies")
@ApplicationScoped
class KnowledgeServiceReadiness implements HealthCheck {
    private final KnowledgeHealthApi api;

    KnowledgeServiceReadiness(@RestClient KnowledgeHealthApi api) {
        this.api = api;
    }

    @Override
    public HealthCheckResponse call() {
        try (Response response = api.live()) {
            return HealthCheckResponse.named("knowledge-service")
                    .status(response.getStatus() == 200)
                    .build();
        } catch (WebApplicationException e) {
            return HealthCheckResponse.named("knowledge-service")
                    .down()
                    .withData(
                            "status",
                            e.getResponse() == null ? 0 : e.getResponse().getStatus())
                    .build();
        } catch (RuntimeException e) {
            return HealthCheckResponse.named("knowledge-service")
                    .down()
                    .withData("error", e.getClass().getSimpleName())
                    .build();
        }
    }
}
