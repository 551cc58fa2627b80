package dev.devloop.agent.adapters.in.rest;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;

import dev.devloop.agent.support.KafkaProbe;
import dev.devloop.contracts.Headers;
import dev.devloop.contracts.Topics;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Guardrail modes as data: three definitions whose answers all violate the shipped {@code response-pii}
 * policy (WARN in safety.json), each with its own {@code guardrailMode} — block stops the run, warn lets
 * it finish with the warning on a GUARDRAIL step and the lifecycle stream, log only logs and counts.
 */
@QuarkusTest
class GuardrailModeTest {
    private static final String PII_ANSWER = "Write to jane.doe@example.com for access.";

    @Inject
    TestPorts.Model model;

    @Inject
    TestPorts.Tools tools;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    private final String tenant = "t-" + UUID.randomUUID();

    @BeforeEach
    void reset() {
        model.reset();
        tools.reset();
    }

    private void register(String type, String mode) {
        given().header(Headers.TENANT, tenant)
                .contentType(ContentType.JSON)
                .body("{\"type\":\"" + type
                        + "\",\"level\":\"child\",\"instructions\":\"Answer.\",\"guardrailMode\":\"" + mode
                        + "\",\"limits\":{\"maxTurns\":3,\"maxTokens\":10000,\"maxSeconds\":60}}")
                .post("/agent-types")
                .then()
                .statusCode(201)
                .body("guardrailMode", equalTo(mode));
    }

    private io.restassured.response.ValidatableResponse run(String type) {
        model.answer(PII_ANSWER);
        return given().header(Headers.TENANT, tenant)
                .contentType(ContentType.JSON)
                .body("{\"input\":\"who do I ask?\"}")
                .post("/agents/" + type + "/runs?wait=true")
                .then()
                .statusCode(200);
    }

    @Test
    void blockStopsTheRun() {
        register("guard_block", "block");
        run("guard_block")
                .body("status", equalTo("GUARDRAIL_BLOCKED"))
                .body("steps.kind", contains("model_call", "guardrail"))
                .body("steps[1].policy", equalTo("response-pii"))
                .body("steps[1].status", equalTo("BLOCK"));
    }

    @Test
    void warnLetsTheRunFinishAndPublishesTheWarning() throws Exception {
        register("guard_warn", "warn");
        try (KafkaProbe lifecycle = new KafkaProbe(bootstrap, Topics.AGENT_LIFECYCLE)) {
            String runId = run("guard_warn")
                    .body("status", equalTo("COMPLETED"))
                    .body("result", equalTo(PII_ANSWER))
                    .body("steps.kind", contains("model_call", "guardrail"))
                    .body("steps[1].status", equalTo("WARN"))
                    .body("steps[1].policy", equalTo("response-pii"))
                    .extract()
                    .path("id");
            assertThat(lifecycle.await(
                            e -> "dev.devloop.agent.guardrail"
                                            .equals(e.event().path("type").asText())
                                    && runId.equals(
                                            e.event().path("data").path("runId").asText()),
                            1,
                            Duration.ofSeconds(30)))
                    .singleElement()
                    .satisfies(
                            e -> assertThat(e.event().path("data").path("mode").asText())
                                    .isEqualTo("WARN"));
        }
    }

    @Test
    void logOnlyLogsAndCounts() {
        register("guard_log", "log");
        run("guard_log")
                .body("status", equalTo("COMPLETED"))
                .body("steps.kind", contains("model_call"))
                .body("steps.kind", not(hasItem("guardrail")));
        String metrics =
                given().get("/q/metrics").then().statusCode(200).extract().asString();
        assertThat(metrics.lines()
                        .filter(l -> l.startsWith("devloop_agent_guardrail_violations_total")
                                && l.contains("mode=\"log\"")
                                && l.contains("policy=\"response-pii\"")))
                .isNotEmpty();
    }

    @Test
    void anUnknownModeIsRefused() {
        given().header(Headers.TENANT, tenant)
                .contentType(ContentType.JSON)
                .body("{\"type\":\"guard_x\","
                        + "\"level\":\"child\",\"instructions\":\"Answer.\",\"guardrailMode\":\"shout\","
                        + "\"limits\":{\"maxTurns\":3,\"maxTokens\":10000,\"maxSeconds\":60}}")
                .post("/agent-types")
                .then()
                .statusCode(400)
                .body("field", equalTo("guardrailMode"));
    }
}
