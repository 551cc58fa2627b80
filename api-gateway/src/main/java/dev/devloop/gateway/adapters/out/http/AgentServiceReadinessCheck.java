package dev.devloop.gateway.adapters.out.http;

import dev.devloop.gateway.config.GatewayConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Readiness: agent-service's own {@code /q/health/ready} answers 200 within a bounded time. */
@Readiness
@ApplicationScoped
public class AgentServiceReadinessCheck implements HealthCheck {
  private final URI readyUri;
  private final Duration timeout;
  private final HttpClient http;

  public AgentServiceReadinessCheck(
      @ConfigProperty(name = "quarkus.rest-client.agent-service.url") String baseUrl, GatewayConfig config) {
    this.readyUri = URI.create(baseUrl.replaceAll("/+$", "") + "/q/health/ready");
    this.timeout = config.agentService().readinessTimeout();
    this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
  }

  @Override
  public HealthCheckResponse call() {
    HttpRequest request = HttpRequest.newBuilder(readyUri).timeout(timeout).GET().build();
    try {
      HttpResponse<Void> response = http.send(request, HttpResponse.BodyHandlers.discarding());
      return HealthCheckResponse.named("agent-service")
          .status(response.statusCode() == 200)
          .withData("url", readyUri.toString())
          .withData("status", response.statusCode())
          .build();
    } catch (IOException e) {
      return down(e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return down("interrupted");
    }
  }

  private HealthCheckResponse down(String error) {
    return HealthCheckResponse.named("agent-service").down()
        .withData("url", readyUri.toString())
        .withData("error", error)
        .build();
  }
}
