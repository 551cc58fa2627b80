package dev.devloop.agent.adapters.out.http;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.StubMapping;
import dev.devloop.agent.application.AgentLoop;
import dev.devloop.agent.application.AnomalyHistory;
import dev.devloop.agent.application.LoopSettings;
import dev.devloop.agent.application.SiblingWait;
import dev.devloop.agent.domain.AgentDefinition;
import dev.devloop.agent.domain.AgentLimits;
import dev.devloop.agent.domain.Run;
import dev.devloop.agent.domain.RunStatus;
import dev.devloop.agent.domain.StepKind;
import dev.devloop.agent.domain.safety.Guardrails;
import dev.devloop.agent.domain.safety.TripwireSettings;
import dev.devloop.agent.domain.safety.Tripwires;
import dev.devloop.agent.support.InMemoryRuns;
import dev.devloop.agent.support.RecordingSafety;
import dev.devloop.agent.support.RecordingTools;
import dev.devloop.agent.support.TestRuns;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A run's model calls through the real provider-gateway adapter (REST client, circuit breaker, error mapping) while
 * provider-gateway — a WireMock server speaking its wire format, behind a TCP proxy — is really down, then answers
 * 503 while it comes back, then answers: the run waits it out with the service's default wait (45 s, 250 ms → 1 s),
 * shows why, is not charged the wait, and completes with each answer recorded once. A refusal (400) and a missing
 * provider setting (503 provider-not-configured) fail the run at once, after one request.
 */
@QuarkusTest
@TestProfile(WireMockSiblings.class)
class ProviderGatewayOutageTest {
    private static final String GENERATE = "/v1/generate";

    @Inject
    ProviderGatewayAdapter gateway;

    private final RecordingTools tools = new RecordingTools(List.of("assistant"));
    private final InMemoryRuns runs = new InMemoryRuns();

    private static WireMockServer server() {
        return WireMockSiblings.server();
    }

    @BeforeEach
    void reset() {
        server().resetAll();
        WireMockSiblings.providerGateway().restore();
    }

    @AfterEach
    void restore() {
        WireMockSiblings.providerGateway().restore();
    }

    private AgentLoop loop() {
        return AgentLoop.builder(
                        gateway,
                        tools,
                        runs,
                        new RecordingSafety(),
                        new Guardrails(List.of()),
                        new Tripwires(new TripwireSettings(Map.of(), List.of(), 3.0, 20)),
                        new AnomalyHistory(50),
                        new LoopSettings(1000, 25, 2000),
                        Clock.systemUTC())
                .siblingWait(new SiblingWait(Duration.ofSeconds(45), Duration.ofMillis(250), Duration.ofSeconds(1)))
                .build();
    }

    private static AgentDefinition assistant(long maxSeconds) {
        return TestRuns.definition("assistant", new AgentLimits(5, 100_000, maxSeconds, 0));
    }

    private Run start(AgentDefinition definition) {
        return TestRuns.started(runs, "pg-outage", definition, "remember the outage");
    }

    /** A call of store_fact while the conversation has no tool result yet, then the final answer. */
    private static void answering() {
        server().stubFor(post(urlPathEqualTo(GENERATE))
                .atPriority(5)
                .willReturn(aResponse()
                        .withStatus(200)
                        .withHeader("Content-Type", "application/json")
                        .withBody("""
                {"text":null,"toolCalls":[{"id":"call_1","name":"store_fact","arguments":{"entity":"outage"}}],
                 "usage":{"inputTokens":20,"outputTokens":8,"totalTokens":28},"model":"gpt-4o-mini",
                 "provider":"openai","finishReason":"tool_calls","cached":false,"latencyMs":3}""")));
        server().stubFor(post(urlPathEqualTo(GENERATE))
                .atPriority(4)
                .withRequestBody(containing("\"role\":\"tool\""))
                .willReturn(aResponse()
                        .withStatus(200)
                        .withHeader("Content-Type", "application/json")
                        .withBody("""
                {"text":"Stored once provider-gateway was back.","toolCalls":[],
                 "usage":{"inputTokens":30,"outputTokens":9,"totalTokens":39},"model":"gpt-4o-mini",
                 "provider":"openai","finishReason":"stop","cached":false,"latencyMs":3}""")));
    }

    @Test
    void aRunWaitsOutProviderGatewayDownThenUnavailableAndCompletesNotChargedTheWait() throws Exception {
        answering();
        // the budget (2 s) is shorter than the outage (~2.5 s down + ~1.5 s answering 503): charged, it would trip
        AgentDefinition definition = assistant(2);
        Run run = start(definition);
        WireMockSiblings.providerGateway().cut();
        int refusedBefore = WireMockSiblings.providerGateway().refused();

        CompletableFuture<Run> done = CompletableFuture.supplyAsync(() -> loop().execute(run, definition));
        Thread.sleep(2_500);
        assertThat(done).as("the run waits while provider-gateway is down").isNotDone();
        assertThat(runs.waitReasons(run.id())).singleElement().asString().contains("provider-gateway", "unreachable");

        // back, but still starting: 503 with Retry-After, as a Quarkus service answers while it starts or stops
        StubMapping starting = server().stubFor(post(urlPathEqualTo(GENERATE))
                .atPriority(1)
                .willReturn(aResponse()
                        .withStatus(503)
                        .withHeader("Retry-After", "1")
                        .withHeader("Content-Type", "application/problem+json")
                        .withBody("{\"status\":503,\"detail\":\"the service is starting\"}")));
        WireMockSiblings.providerGateway().restore();
        Thread.sleep(1_500);
        assertThat(done).isNotDone();
        server().removeStub(starting);

        Run finished = done.get(30, TimeUnit.SECONDS);

        assertThat(finished.status()).as(finished.error()).isEqualTo(RunStatus.COMPLETED);
        assertThat(finished.result()).isEqualTo("Stored once provider-gateway was back.");
        assertThat(WireMockSiblings.providerGateway().refused())
                .as("attempts refused while down")
                .isGreaterThan(refusedBefore);
        // each answer recorded once; the one answered call with a tool result was asked for once
        assertThat(finished.steps())
                .extracting(s -> s.kind())
                .containsExactly(StepKind.MODEL_CALL, StepKind.TOOL_CALL, StepKind.MODEL_CALL);
        assertThat(server().findAll(postRequestedFor(urlPathEqualTo(GENERATE))
                        .withRequestBody(containing("\"role\":\"tool\""))))
                .hasSize(1);
        assertThat(server().findAll(postRequestedFor(urlPathEqualTo(GENERATE))).stream()
                        .filter(r -> !r.getBodyAsString().contains("\"role\":\"tool\"")))
                .as("503 answers waited out, then one answer")
                .hasSizeGreaterThanOrEqualTo(2);
        assertThat(tools.executed()).hasSize(1);
        assertThat(runs.outageWaitMs(run.id())).isGreaterThanOrEqualTo(3_000L);
        assertThat(finished.steps()).noneMatch(s -> s.kind() == StepKind.TRIPWIRE);
    }

    @Test
    void aRefusalOrAMissingProviderSettingFailsTheRunAtOnce() {
        server().stubFor(post(urlPathEqualTo(GENERATE))
                .willReturn(aResponse()
                        .withStatus(400)
                        .withHeader("Content-Type", "application/problem+json")
                        .withBody("{\"type\":\"https://devloop.dev/problems/invalid-request\",\"status\":400,"
                                + "\"detail\":\"messages: at least one message is required\"}")));
        Run refused = start(assistant(60));

        Run failed = loop().execute(refused, assistant(60));

        assertThat(failed.status()).isEqualTo(RunStatus.FAILED);
        assertThat(failed.error()).contains("at least one message is required");
        assertThat(server().findAll(postRequestedFor(urlPathEqualTo(GENERATE)))).hasSize(1);
        assertThat(runs.waitReasons(refused.id())).isEmpty();

        server().resetAll();
        server().stubFor(post(urlPathEqualTo(GENERATE))
                .willReturn(aResponse()
                        .withStatus(503)
                        .withHeader("Content-Type", "application/problem+json")
                        .withBody("{\"type\":\"https://devloop.dev/problems/provider-not-configured\",\"status\":503,"
                                + "\"detail\":\"set DEVLOOP_OPENAI_API_KEY or DEVLOOP_OPENAI_BASE_URL\"}")));
        Run unconfigured = start(assistant(60));

        Run notConfigured = loop().execute(unconfigured, assistant(60));

        assertThat(notConfigured.status()).isEqualTo(RunStatus.FAILED);
        assertThat(notConfigured.error()).contains("DEVLOOP_OPENAI_API_KEY");
        assertThat(server().findAll(postRequestedFor(urlPathEqualTo(GENERATE)))).hasSize(1);
        assertThat(runs.waitReasons(unconfigured.id())).isEmpty();
    }
}
