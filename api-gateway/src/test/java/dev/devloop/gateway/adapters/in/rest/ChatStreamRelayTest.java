package dev.devloop.gateway.adapters.in.rest;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.devloop.contracts.Headers;
import dev.devloop.gateway.support.AgentServiceStub;
import dev.devloop.gateway.support.FlakyCell;
import dev.devloop.gateway.support.RealServices;
import dev.devloop.gateway.support.Tokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * {@code POST /api/v1/chat/completions} with {@code "stream": true} through the real provider-gateway (its LLM
 * the WireMock {@code OpenAiStub} speaking OpenAI's SSE): chunks relayed as they arrive, auth, role and rate
 * limit settled before the first byte, a client that leaves ends the relay, an upstream failure before the first
 * chunk passed on in OpenAI's error shape.
 */
@QuarkusTest
@QuarkusTestResource(RealServices.class)
@QuarkusTestResource(FlakyCell.class)
@QuarkusTestResource(AgentServiceStub.class)
class ChatStreamRelayTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @TestHTTPResource("/api/v1/chat/completions")
    URI chat;

    private static String body(String marker) {
        return "{\"model\":\"gpt-4o-mini\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"" + marker
                + "\"}]}";
    }

    private HttpResponse<InputStream> open(String token, String body) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(chat)
                .timeout(Duration.ofSeconds(60))
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json")
                .header("Accept", "text/event-stream")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
        return HTTP.send(request, HttpResponse.BodyHandlers.ofInputStream());
    }

    /** The {@code data:} payloads of an SSE body, in order. */
    private static List<String> events(String sse) {
        List<String> data = new ArrayList<>();
        for (String line : sse.split("\n")) {
            if (line.startsWith("data: ")) {
                data.add(line.substring(6));
            }
        }
        return data;
    }

    private static double streamsCounted(String outcome) {
        String metrics = given().when()
                .get("/q/metrics")
                .then()
                .statusCode(200)
                .extract()
                .asString();
        Matcher m = Pattern.compile(
                        "^devloop_gateway_streams_total\\{outcome=\"" + outcome
                                + "\",service=\"provider-gateway\"} ([0-9.E]+)",
                        Pattern.MULTILINE)
                .matcher(metrics);
        return m.find() ? Double.parseDouble(m.group(1)) : 0;
    }

    @Test
    void theChunksArriveAsAnEventStreamWithTheRateLimitSettledBeforeTheFirstByte() throws Exception {
        String marker = "stream-" + UUID.randomUUID();
        RealServices.openAi().stubStream(marker, List.of("Hel", "lo", " world"), 0, 0);
        String token = Tokens.valid(Tokens.newTenant(), "operator");

        HttpResponse<InputStream> first = open(token, body(marker));
        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(first.headers().firstValue("Content-Type")).get().asString().startsWith("text/event-stream");
        assertThat(first.headers().firstValue("Content-Length"))
                .as("relayed as it comes, not buffered whole")
                .isEmpty();
        assertThat(first.headers().firstValue("X-Devloop-Trace-Id")).isPresent();
        int remaining = Integer.parseInt(
                first.headers().firstValue("RateLimit-Remaining").orElseThrow());
        String sse;
        try (InputStream in = first.body()) {
            sse = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        List<String> events = events(sse);
        assertThat(events.get(events.size() - 1)).isEqualTo("[DONE]");
        StringBuilder text = new StringBuilder();
        String finish = null;
        for (String event : events.subList(0, events.size() - 1)) {
            JsonNode chunk = JSON.readTree(event);
            assertThat(chunk.path("object").asText()).isEqualTo("chat.completion.chunk");
            for (JsonNode choice : chunk.path("choices")) {
                text.append(choice.path("delta").path("content").asText(""));
                if (choice.hasNonNull("finish_reason")) {
                    finish = choice.get("finish_reason").asText();
                }
            }
        }
        assertThat(text.toString()).isEqualTo("Hello world");
        assertThat(finish).isEqualTo("stop");

        HttpResponse<InputStream> second = open(token, body(marker));
        try (InputStream in = second.body()) {
            in.readAllBytes();
        }
        assertThat(Integer.parseInt(
                        second.headers().firstValue("RateLimit-Remaining").orElseThrow()))
                .as("each stream counts against the caller's limit")
                .isEqualTo(remaining - 1);
    }

    @Test
    void aClientThatLeavesMidStreamEndsTheRelayWhileTheUpstreamIsStillSending() throws Exception {
        String marker = "slow-" + UUID.randomUUID();
        List<String> pieces = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            pieces.add("part" + i + " ");
        }
        // the stub sends its body in 16 parts over 8 s: the first delta is out long before the last
        RealServices.openAi().stubStream(marker, pieces, 16, 8000);
        double closedBefore = streamsCounted("client-closed");
        double completedBefore = streamsCounted("completed");

        HttpResponse<InputStream> response = open(Tokens.valid(Tokens.newTenant(), "admin"), body(marker));
        assertThat(response.statusCode()).isEqualTo(200);
        String firstContent = null;
        InputStream in = response.body();
        BufferedReader lines = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
        for (String line = lines.readLine(); line != null; line = lines.readLine()) {
            if (line.startsWith("data: ") && line.contains("\"content\":\"part")) {
                firstContent = line;
                break;
            }
        }
        assertThat(firstContent).as("a content delta arrived").contains("part0");
        in.close(); // the client leaves

        // the gateway notices at its next write, ends the relay and closes the hop to provider-gateway; had it
        // buffered the whole answer first, the relay would have completed before the client saw anything
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (streamsCounted("client-closed") <= closedBefore && System.nanoTime() < deadline) {
            Thread.sleep(200);
        }
        assertThat(streamsCounted("client-closed")).isGreaterThan(closedBefore);
        assertThat(streamsCounted("completed")).isEqualTo(completedBefore);
    }

    /**
     * A failure before the first chunk, scripted in the {@code observed} cell (the real provider-gateway's answer to
     * an upstream failure is its own business and changes with it): a problem+json 502 is passed on whole with its
     * status, in OpenAI's error shape; an OpenAI-shaped one byte for byte.
     */
    @Test
    void anUpstreamFailureBeforeTheFirstChunkIsAnOpenAiError() throws Exception {
        String tenant = FlakyCell.OBSERVED_TENANTS.get(1);
        String marker = "rejected-" + UUID.randomUUID();
        FlakyCell.observed()
                .stubFor(
                        com.github.tomakehurst.wiremock.client.WireMock.post(
                                        com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo(
                                                "/v1/chat/completions"))
                                .withRequestBody(com.github.tomakehurst.wiremock.client.WireMock.containing(marker))
                                .willReturn(
                                        com.github.tomakehurst.wiremock.client.WireMock.aResponse()
                                                .withStatus(502)
                                                .withHeader("Content-Type", "application/problem+json")
                                                .withBody(
                                                        "{\"type\":\"https://devloop.dev/problems/provider-credentials-rejected\",\"title\":\"Bad gateway\","
                                                                + "\"status\":502,\"detail\":\"the provider rejected its credentials\"}")));
        HttpResponse<InputStream> response = open(Tokens.valid(tenant, "operator"), body(marker));
        String error;
        try (InputStream in = response.body()) {
            error = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        assertThat(response.statusCode()).isEqualTo(502);
        assertThat(response.headers().firstValue("Content-Type"))
                .get()
                .asString()
                .startsWith("application/json");
        assertThat(JSON.readTree(error).path("error").path("message").asText())
                .isEqualTo("the provider rejected its credentials");
        assertThat(JSON.readTree(error).path("error").path("type").asText()).isEqualTo("api_error");
        assertThat(JSON.readTree(error).path("error").path("code").asText()).isEqualTo("provider_credentials_rejected");

        String openAi = "{\"error\":{\"message\":\"Incorrect API key provided\",\"type\":\"invalid_request_error\","
                + "\"param\":null,\"code\":\"invalid_api_key\"}}";
        String marker2 = "rejected-" + UUID.randomUUID();
        FlakyCell.observed()
                .stubFor(com.github.tomakehurst.wiremock.client.WireMock.post(
                                com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo("/v1/chat/completions"))
                        .withRequestBody(com.github.tomakehurst.wiremock.client.WireMock.containing(marker2))
                        .willReturn(com.github.tomakehurst.wiremock.client.WireMock.aResponse()
                                .withStatus(502)
                                .withHeader("Content-Type", "application/json")
                                .withBody(openAi)));
        HttpResponse<InputStream> relayed = open(Tokens.valid(tenant, "operator"), body(marker2));
        try (InputStream in = relayed.body()) {
            assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo(openAi);
        }
        assertThat(relayed.statusCode()).isEqualTo(502);
    }

    @Test
    void authRolesAndKeysAreCheckedBeforeAnythingIsStreamed() {
        String marker = "denied-" + UUID.randomUUID();
        RealServices.openAi().stubStream(marker, List.of("never"), 0, 0);
        given().contentType(ContentType.JSON)
                .body(body(marker))
                .when()
                .post("/api/v1/chat/completions")
                .then()
                .statusCode(401)
                .contentType("application/json")
                .body("error.type", equalTo("authentication_error"));
        given().auth()
                .oauth2(Tokens.valid(Tokens.newTenant(), "viewer"))
                .contentType(ContentType.JSON)
                .body(body(marker))
                .when()
                .post("/api/v1/chat/completions")
                .then()
                .statusCode(403)
                .contentType("application/json")
                .body("error.type", equalTo("permission_error"));
        given().auth()
                .oauth2(Tokens.valid(Tokens.newTenant(), "operator"))
                .header(Headers.IDEMPOTENCY_KEY, "k-1")
                .contentType(ContentType.JSON)
                .body(body(marker))
                .when()
                .post("/api/v1/chat/completions")
                .then()
                .statusCode(400)
                .body("error.param", equalTo(Headers.IDEMPOTENCY_KEY))
                .body("error.message", containsString("stream"));
        assertThat(RealServices.openAi().requestsContaining(marker))
                .as("nothing reached the LLM")
                .isZero();
    }
}
