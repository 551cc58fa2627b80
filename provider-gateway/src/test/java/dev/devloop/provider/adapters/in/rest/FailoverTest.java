package dev.devloop.provider.adapters.in.rest;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static dev.devloop.provider.adapters.in.rest.TestHttp.JSON;
import static dev.devloop.provider.adapters.in.rest.TestHttp.generate;
import static dev.devloop.provider.adapters.in.rest.TestHttp.tenant;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.client.WireMock;
import dev.devloop.contracts.Headers;
import dev.devloop.provider.support.FailoverStub;
import dev.devloop.provider.support.OpenAiWireStubs;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

/**
 * Provider failover, proven over the wire: two OpenAI-compatible upstreams (WireMock, real chat-completions
 * format) behind alias {@code resilient} = {@code primary/m1,fallback/m1}; the primary answers every call with
 * a 500. At least 99 % of {@value #N} calls must be served by the fallback, and the primary must see no more
 * calls than its circuit breaker lets through, computed from the breaker's configured thresholds (read back
 * from the running configuration, not restated).
 */
@QuarkusTest
@WithTestResource(FailoverStub.class)
class FailoverTest {
    static final int N = 200;
    private static final String CB = "devloop.provider.instances.primary.circuit-breaker.";

    @Test
    void primaryFailingEveryCallIsServedByTheFallbackAndCalledOnlyAsTheBreakerAllows() throws Exception {
        FailoverStub.primary().resetAll();
        FailoverStub.fallback().resetRequests();
        FailoverStub.primary()
                .stubFor(
                        post(urlEqualTo(OpenAiWireStubs.PATH))
                                .willReturn(
                                        aResponse()
                                                .withStatus(500)
                                                .withHeader("Content-Type", "application/json")
                                                .withBody(
                                                        "{\"error\":{\"message\":\"The server had an error while processing your request.\",\"type\":\"server_error\"}}")));
        FailoverStub.fallback()
                .stubFor(post(urlEqualTo(OpenAiWireStubs.PATH))
                        .withRequestBody(matchingJsonPath("$.model", WireMock.equalTo(FailoverStub.MODEL)))
                        .willReturn(aResponse()
                                .withStatus(200)
                                .withHeader("Content-Type", "application/json")
                                .withBody(OpenAiWireStubs.completion(
                                        FailoverStub.MODEL,
                                        "{\"role\":\"assistant\",\"content\":\"from fallback\"}",
                                        "stop",
                                        5,
                                        2))));

        String tenant = tenant();
        long start = System.nanoTime();
        int servedByFallback = 0;
        int failed = 0;
        for (int i = 0; i < N; i++) {
            Response r = generate(
                    tenant,
                    "{\"model\":\"" + FailoverStub.ALIAS + "\",\"messages\":[{\"role\":\"user\",\"content\":\"call " + i
                            + "\"}]}");
            if (r.statusCode() != 200) {
                failed++;
                continue;
            }
            JsonNode answer = JSON.readTree(r.asString());
            if ("fallback".equals(answer.path("provider").asText())
                    && "from fallback".equals(answer.path("text").asText())) {
                servedByFallback++;
            }
        }
        long elapsedMs = (System.nanoTime() - start) / 1_000_000;

        var config = ConfigProvider.getConfig();
        int volume = config.getValue(CB + "request-volume-threshold", Integer.class);
        long delayMs = config.getValue(CB + "delay", java.time.Duration.class).toMillis();
        int successThreshold = config.getValue(CB + "success-threshold", Integer.class);
        // the rolling window must fill with `volume` failed calls before the circuit opens; after that each full
        // `delay` that elapsed lets at most `successThreshold` trial calls through (half-open) before it reopens
        long halfOpenings = elapsedMs / delayMs;
        long allowed = volume + halfOpenings * successThreshold;
        int primaryCalls = FailoverStub.primary()
                .findAll(postRequestedFor(urlEqualTo(OpenAiWireStubs.PATH)))
                .size();
        int fallbackCalls = FailoverStub.fallback()
                .findAll(postRequestedFor(urlEqualTo(OpenAiWireStubs.PATH)))
                .size();

        assertThat(failed).as("calls not answered 200").isLessThanOrEqualTo(N / 100);
        assertThat(servedByFallback).as("calls served by the fallback").isGreaterThanOrEqualTo((int)
                Math.ceil(0.99 * N));
        assertThat(fallbackCalls).as("one fallback call per served request").isEqualTo(servedByFallback);
        assertThat(primaryCalls)
                .as("primary calls (the breaker allows %d in %d ms)", allowed, elapsedMs)
                .isLessThanOrEqualTo((int) allowed)
                // and the breaker was really exercised: it opened only after its window filled with failures
                .isGreaterThanOrEqualTo(volume);
        given().header(Headers.TENANT, tenant)
                .get("/v1/providers")
                .then()
                .statusCode(200)
                .body("providers.find { it.name == 'primary' }.circuit", org.hamcrest.Matchers.equalTo("open"))
                .body("providers.find { it.name == 'fallback' }.circuit", org.hamcrest.Matchers.equalTo("closed"));
        String metrics =
                given().get("/q/metrics").then().statusCode(200).extract().asString();
        assertThat(metrics)
                .containsPattern(
                        "devloop_provider_fallbacks_total\\{alias=\"resilient\",from=\"primary\"[^}]*kind=\"circuit_open\"[^}]*} [1-9]");
    }
}
