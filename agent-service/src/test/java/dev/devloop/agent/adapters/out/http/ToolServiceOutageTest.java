package dev.devloop.agent.adapters.out.http;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import dev.devloop.agent.ports.out.DownstreamException;
import dev.devloop.contracts.tools.ToolInvocationRequest;
import dev.devloop.contracts.tools.ToolInvocationResult;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The real REST client to tool-service (retry, backoff, circuit breaker) against a WireMock tool-service: an
 * outage answered 503 (its MongoDB away) is waited out and the call succeeds once it
 * answers again — with the same idempotency key on every attempt —, soon after it does even when the outage opened
 * the circuit, while a 400 or a 500 is final at once.
 */
@QuarkusTest
@TestProfile(WireMockSiblings.class)
class ToolServiceOutageTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static WireMockServer server() {
        return WireMockSiblings.server();
    }

    @Inject
    ToolServiceCalls calls;

    @Inject
    MeterRegistry meters;

    @BeforeEach
    void reset() {
        server().resetAll();
    }

    private static ToolInvocationRequest request(String key) throws Exception {
        return new ToolInvocationRequest(JSON.readTree("{\"entity\":\"x\"}"), "assistant", "agent-1", "run-1", key);
    }

    @Test
    void aStoreOutageAnswered503IsWaitedOutWithTheSameIdempotencyKey() throws Exception {
        String path = "/tools/store_fact/invocations";
        String problem =
                "{\"type\":\"https://devloop.dev/problems/store-unavailable\",\"status\":503,\"detail\":\"MongoDB is unavailable\"}";
        server().stubFor(post(urlPathEqualTo(path))
                .inScenario("outage")
                .whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse()
                        .withStatus(503)
                        .withHeader("Content-Type", "application/problem+json")
                        .withBody(problem))
                .willSetStateTo("still down"));
        server().stubFor(post(urlPathEqualTo(path))
                .inScenario("outage")
                .whenScenarioStateIs("still down")
                .willReturn(aResponse()
                        .withStatus(503)
                        .withHeader("Content-Type", "application/problem+json")
                        .withBody(problem))
                .willSetStateTo("back"));
        server().stubFor(post(urlPathEqualTo(path))
                .inScenario("outage")
                .whenScenarioStateIs("back")
                .willReturn(aResponse()
                        .withStatus(200)
                        .withHeader("Content-Type", "application/json")
                        .withBody("""
            {"invocationId":"inv-1","toolId":"store_fact","status":"SUCCEEDED","output":{"ok":true},
             "durationMs":3,"replayed":false}""")));

        ToolInvocationResult result = calls.invoke("acme", "store_fact", request("run-1:call-1"));

        assertThat(result.status()).isEqualTo(ToolInvocationResult.SUCCEEDED);
        assertThat(server().findAll(postRequestedFor(urlPathEqualTo(path))))
                .hasSize(3)
                .allSatisfy(r -> assertThat(r.getBodyAsString()).contains("\"idempotencyKey\":\"run-1:call-1\""))
                // every attempt is signed for tool-service, acting for the run's tenant
                .allSatisfy(r -> {
                    assertThat(TokenClaims.of(r.getHeader("Authorization"))
                                    .path("aud")
                                    .asText())
                            .isEqualTo("tool-service");
                    assertThat(TokenClaims.of(r.getHeader("Authorization"))
                                    .path("tenant")
                                    .asText())
                            .isEqualTo("acme");
                });
    }

    /**
     * Three runs waiting out an outage that opened the circuit (their tenth failed attempt, ~1.75 s in) all go on
     * within 4.5 s of tool-service answering again (2.5 s in): the circuit's 2 s delay ends ~1.25 s after the return,
     * then at most two backoff steps of 1 s + 150 ms jitter (one refused while the circuit is still open, one while
     * another call's probe is in flight) ≈ 3.4 s. With the previous 5 s circuit and 4 s backoff steps the same outage
     * left them refused until ~7.75 s in, over 5 s after the return (issue #18: resume within 10 s of the return).
     */
    @Test
    void callsWaitingOutAnOutageThatOpenedTheCircuitGoOnSoonAfterTheReturn() throws Exception {
        String path = "/tools/remember/invocations";
        server().stubFor(post(urlPathEqualTo(path))
                .willReturn(aResponse()
                        .withStatus(503)
                        .withHeader("Content-Type", "application/problem+json")
                        .withBody("{\"status\":503,\"detail\":\"MongoDB is unavailable\"}")));
        double openedBefore = circuitOpenings();
        ExecutorService runs = Executors.newFixedThreadPool(3);
        try {
            List<Future<Instant>> waiting = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                String key = "run-1:wait-" + i;
                waiting.add(runs.submit(() -> {
                    invokeUntilDone(key);
                    return Instant.now();
                }));
            }
            Thread.sleep(2_500);
            assertThat(circuitOpenings()).as("the outage opened the circuit").isGreaterThan(openedBefore);

            server().stubFor(post(urlPathEqualTo(path))
                    .willReturn(aResponse()
                            .withStatus(200)
                            .withHeader("Content-Type", "application/json")
                            .withBody("""
                {"invocationId":"inv-2","toolId":"remember","status":"SUCCEEDED","output":{"ok":true},
                 "durationMs":3,"replayed":false}""")));
            Instant back = Instant.now();

            for (Future<Instant> call : waiting) {
                Instant done = call.get(30, TimeUnit.SECONDS);
                assertThat(Duration.between(back, done)).isLessThan(Duration.ofMillis(4_500));
            }
        } finally {
            runs.shutdownNow();
        }
    }

    private void invokeUntilDone(String key) throws Exception {
        ToolInvocationResult result = calls.invoke("acme", "remember", request(key));
        assertThat(result.status()).isEqualTo(ToolInvocationResult.SUCCEEDED);
    }

    private double circuitOpenings() {
        return meters.find("ft.circuitbreaker.opened.total").counters().stream()
                .filter(c -> String.valueOf(c.getId().getTag("method")).endsWith("ToolServiceCalls.invoke"))
                .mapToDouble(Counter::count)
                .sum();
    }

    @Test
    void aRefusalOrAnInternalErrorIsFinalAtOnce() throws Exception {
        server().stubFor(post(urlPathEqualTo("/tools/bad/invocations"))
                .willReturn(aResponse()
                        .withStatus(400)
                        .withHeader("Content-Type", "application/problem+json")
                        .withBody("{\"status\":400,\"detail\":\"entity is required\"}")));
        server().stubFor(post(urlPathEqualTo("/tools/broken/invocations"))
                .willReturn(aResponse()
                        .withStatus(500)
                        .withHeader("Content-Type", "application/problem+json")
                        .withBody("{\"status\":500,\"detail\":\"boom\"}")));

        assertThatThrownBy(() -> calls.invoke("acme", "bad", request("k-bad")))
                .isInstanceOf(DownstreamException.class)
                .satisfies(e -> assertThat(((DownstreamException) e).status()).isEqualTo(400));
        assertThatThrownBy(() -> calls.invoke("acme", "broken", request("k-broken")))
                .isInstanceOf(DownstreamException.class)
                .satisfies(e -> assertThat(((DownstreamException) e).status()).isEqualTo(500));
        assertThat(server().findAll(postRequestedFor(urlPathEqualTo("/tools/bad/invocations"))))
                .hasSize(1);
        assertThat(server().findAll(postRequestedFor(urlPathEqualTo("/tools/broken/invocations"))))
                .hasSize(1);
    }
}
