package dev.devloop.gateway.adapters.out.http;

import dev.devloop.gateway.config.GatewayConfig;
import dev.devloop.gateway.domain.CellRouting;
import dev.devloop.gateway.domain.Service;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;

/** Readiness of one sibling in the default cell: its {@code /q/health/ready} answers 200 within a bounded time. */
abstract class SiblingReadinessCheck implements HealthCheck {
  private final Service service;
  private final URI readyUri;
  private final Duration timeout;
  private final HttpClient http;

  SiblingReadinessCheck(Service service, CellRouting cells, GatewayConfig config) {
    this.service = service;
    this.readyUri = URI.create(cells.defaultUrl(service) + "/q/health/ready");
    this.timeout = config.hop().readinessTimeout();
    this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
  }

  @Override
  public HealthCheckResponse call() {
    HttpRequest request = HttpRequest.newBuilder(readyUri).timeout(timeout).GET().build();
    try {
      HttpResponse<Void> response = http.send(request, HttpResponse.BodyHandlers.discarding());
      return HealthCheckResponse.named(service.id()).status(response.statusCode() == 200)
          .withData("url", readyUri.toString()).withData("status", response.statusCode()).build();
    } catch (IOException e) {
      return down(e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return down("interrupted");
    }
  }

  private HealthCheckResponse down(String error) {
    return HealthCheckResponse.named(service.id()).down().withData("url", readyUri.toString())
        .withData("error", error).build();
  }
}
