package dev.devloop.gateway.adapters.out.webhook;

import dev.devloop.gateway.config.GatewayConfig;
import dev.devloop.gateway.ports.out.WebhookSenderPort;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** POSTs webhook deliveries with the JDK HTTP client: bounded timeouts, redirects never followed, body ignored. */
@ApplicationScoped
public class JdkWebhookSender implements WebhookSenderPort {
    private final HttpClient client;
    private final GatewayConfig config;

    public JdkWebhookSender(GatewayConfig config) {
        this.config = config;
        this.client = HttpClient.newBuilder()
                .connectTimeout(config.webhooks().connectTimeout())
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    @Override
    public Answer post(String url, Map<String, String> headers, String body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url))
                .timeout(config.webhooks().requestTimeout())
                .header("User-Agent", "Devloop-Webhooks/1")
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        headers.forEach(request::header);
        try {
            HttpResponse<Void> response = client.send(request.build(), HttpResponse.BodyHandlers.discarding());
            return new Answer(response.statusCode(), null);
        } catch (IOException e) {
            return new Answer(0, e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Answer(0, "interrupted");
        }
    }
}
