package dev.devloop.agent.adapters.in.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.devloop.contracts.Headers;
import dev.devloop.contracts.provider.GenerateResponse;
import dev.devloop.contracts.provider.ToolCall;
import dev.devloop.contracts.provider.Usage;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Visible reasoning and provider-gateway's prompt-injection screening stored on MODEL_CALL steps (real MongoDB) and
 * shown by {@code GET /runs/{id}}.
 */
@QuarkusTest
class ReasoningTest {
    @Inject
    TestPorts.Model model;

    @Inject
    TestPorts.Tools tools;

    private final String tenant = "t-" + UUID.randomUUID();

    @BeforeEach
    void reset() {
        model.reset();
        tools.reset();
    }

    @Test
    void theProvidersReasoningAndTheTextOfAToolCallAnswerAreStoredOnTheirSteps() throws Exception {
        ToolCall call = new ToolCall("c1", "store_fact", new ObjectMapper().readTree("{\"entity\":\"e\"}"));
        model.reply(new GenerateResponse(
                        "Let me store that first.",
                        List.of(call),
                        new Usage(20, 8, 28),
                        "test",
                        "scripted",
                        "tool_calls",
                        false,
                        1))
                .reply(new GenerateResponse(
                        "Stored.",
                        List.of(),
                        new Usage(10, 5, 15),
                        "test",
                        "scripted",
                        "stop",
                        false,
                        1,
                        "The tool said SUCCEEDED, so I can confirm."));
        String runId = given().header(Headers.TENANT, tenant)
                .contentType(ContentType.JSON)
                .body("{\"input\":\"store e\"}")
                .post("/agents/assistant/runs?wait=true")
                .then()
                .statusCode(200)
                .body("status", equalTo("COMPLETED"))
                .extract()
                .path("id");
        given().header(Headers.TENANT, tenant)
                .get("/runs/" + runId)
                .then()
                .statusCode(200)
                // no provider reasoning with tool calls: their text is the reasoning
                .body("steps[0].reasoning", equalTo("Let me store that first."))
                .body("steps[1].reasoning", nullValue())
                .body("steps[2].reasoning", equalTo("The tool said SUCCEEDED, so I can confirm."))
                .body("steps[2].text", equalTo("Stored."));
    }

    @Test
    void aPlainAnswerWithoutReasoningHasNone() {
        model.answer("hello");
        String runId = given().header(Headers.TENANT, tenant)
                .contentType(ContentType.JSON)
                .body("{\"input\":\"hi\"}")
                .post("/agents/assistant/runs?wait=true")
                .then()
                .statusCode(200)
                .extract()
                .path("id");
        given().header(Headers.TENANT, tenant).get("/runs/" + runId).then().body("steps[0].reasoning", nullValue());
    }

    @Test
    void aFlaggedInjectionIsShownOnTheModelStep() {
        model.reply(new GenerateResponse(
                        "I will not do that.", List.of(), new Usage(10, 5, 15), "test", "scripted", "stop", false, 1)
                .withInjection(new dev.devloop.contracts.provider.InjectionScreening(
                        "flag",
                        0.82,
                        true,
                        java.util.Map.of("prompt", 0.1, "tool", 0.82, "retrieved", 0.0),
                        List.of("override-instructions@base64"))));
        String runId = given().header(Headers.TENANT, tenant)
                .contentType(ContentType.JSON)
                .body("{\"input\":\"hi\"}")
                .post("/agents/assistant/runs?wait=true")
                .then()
                .statusCode(200)
                .extract()
                .path("id");
        given().header(Headers.TENANT, tenant)
                .get("/runs/" + runId)
                .then()
                .statusCode(200)
                .body("steps[0].injection.flagged", equalTo(true))
                .body("steps[0].injection.score", equalTo(0.82f))
                .body("steps[0].injection.sources", org.hamcrest.Matchers.contains("tool", "prompt"));
        model.answer("hello");
        String plain = given().header(Headers.TENANT, tenant)
                .contentType(ContentType.JSON)
                .body("{\"input\":\"hi\"}")
                .post("/agents/assistant/runs?wait=true")
                .then()
                .statusCode(200)
                .extract()
                .path("id");
        given().header(Headers.TENANT, tenant).get("/runs/" + plain).then().body("steps[0].injection", nullValue());
    }
}
