package dev.devloop.gateway.adapters.out.health;

import jakarta.enterprise.context.ApplicationScoped;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * Readiness {@code api-gateway}: what the gateway itself needs to serve — its token-verification key (a file
 * location must still be readable; a JWKS URL is fetched and cached by smallrye-jwt) — and, as data only, whether
 * it is {@code DEGRADED}: which dependencies are down and which routes answer 503 meanwhile. Siblings, MongoDB
 * and Kafka never make this DOWN (see {@link DependenciesHealthCheck}); Redis has its own readiness check.
 */
@Readiness
@ApplicationScoped
public class GatewayReadinessCheck implements HealthCheck {
    private final DependencyMonitor monitor;
    private final Optional<Path> keyFile;

    public GatewayReadinessCheck(
            DependencyMonitor monitor,
            @ConfigProperty(name = "mp.jwt.verify.publickey.location") Optional<String> keyLocation) {
        this.monitor = monitor;
        this.keyFile = keyLocation
                .map(String::trim)
                .filter(GatewayReadinessCheck::isFile)
                .map(v -> Path.of(v.startsWith("file:") ? v.substring("file:".length()) : v))
                .filter(Files::exists);
    }

    private static boolean isFile(String location) {
        return !location.isEmpty()
                && !location.startsWith("http://")
                && !location.startsWith("https://")
                && !location.startsWith("classpath:");
    }

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder response =
                HealthCheckResponse.named("api-gateway").up();
        if (keyFile.isPresent() && !Files.isReadable(keyFile.get())) {
            response.down().withData("jwt-key", "not readable: " + keyFile.get());
        }
        List<DependencyMonitor.Status> down = monitor.down();
        if (down.isEmpty()) {
            return response.withData("status", "OK").build();
        }
        StringBuilder reason = new StringBuilder();
        for (DependencyMonitor.Status status : down) {
            if (!reason.isEmpty()) {
                reason.append("; ");
            }
            reason.append(status.name())
                    .append(" down (")
                    .append(status.detail())
                    .append("): ")
                    .append(status.affects());
        }
        return response.withData("status", "DEGRADED")
                .withData("reason", reason.toString())
                .build();
    }
}
