package dev.devloop.agent.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.devloop.agent.ports.out.DownstreamException;
import dev.devloop.agent.ports.out.ModelPort;
import dev.devloop.contracts.Headers;
import dev.devloop.contracts.identity.testing.TestCredentials;
import dev.devloop.contracts.provider.GenerateRequest;
import dev.devloop.contracts.provider.GenerateResponse;
import dev.devloop.contracts.provider.ToolCall;
import dev.devloop.contracts.provider.Usage;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The loop's model port through a running provider-gateway ({@code POST /v1/generate}, the service's real hop),
 * which calls the benchmark's stub as its OpenAI provider. {@code Cache-Control: no-store}, so every call reaches
 * the stub (the benchmark repeats identical conversations, which the gateway's cache would otherwise answer). Signed
 * for provider-gateway like agent-service's own hop (a cached token: no per-call signing cost).
 */
final class GatewayModel implements ModelPort {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    private final URI endpoint;

    GatewayModel(String gatewayUrl) {
        this.endpoint = URI.create(gatewayUrl.replaceAll("/+$", "") + "/v1/generate");
    }

    @Override
    public GenerateResponse generate(String tenant, GenerateRequest request) {
        try {
            HttpResponse<byte[]> response = http.send(
                    HttpRequest.newBuilder(endpoint)
                            .timeout(Duration.ofSeconds(10))
                            .header("content-type", "application/json")
                            .header(Headers.TENANT, tenant)
                            .header("authorization", TestCredentials.bearer("provider-gateway", tenant))
                            .header("cache-control", "no-store")
                            .POST(HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(request)))
                            .build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            if (response.statusCode() != 200) {
                throw new DownstreamException(
                        "provider-gateway",
                        response.statusCode(),
                        new String(response.body(), java.nio.charset.StandardCharsets.UTF_8),
                        null);
            }
            JsonNode reply = JSON.readTree(response.body());
            List<ToolCall> calls = new ArrayList<>();
            for (JsonNode call : reply.path("toolCalls")) {
                calls.add(
                        new ToolCall(call.path("id").asText(), call.path("name").asText(), call.path("arguments")));
            }
            JsonNode usage = reply.path("usage");
            return new GenerateResponse(
                    reply.path("text").isTextual() ? reply.path("text").asText() : null,
                    calls,
                    new Usage(
                            usage.path("inputTokens").asLong(),
                            usage.path("outputTokens").asLong(),
                            usage.path("totalTokens").asLong()),
                    reply.path("model").asText(null),
                    reply.path("provider").asText(null),
                    reply.path("finishReason").asText("stop"),
                    reply.path("cached").asBoolean(),
                    reply.path("latencyMs").asLong());
        } catch (IOException e) {
            throw new DownstreamException("provider-gateway", 0, "unreachable: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DownstreamException("provider-gateway", 0, "interrupted", e);
        }
    }
}
