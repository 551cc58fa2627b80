package dev.devloop.scenarios;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.model.Filters;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Durability: agent-service is killed (SIGKILL) while a run waits on the model, restarted, and the run
 * resumes from its last persisted step and completes, with its tool call executed exactly once.
 */
class DurableRunScenarioTest {
    private static final String MONGO = System.getenv().getOrDefault("DEVLOOP_MONGO_URL", "mongodb://127.0.0.1:27017");
    private static final String ANSWER = "Stored, and still here after the crash.";

    private static OpenAiStub openAi;
    private static TestTokens tokens;
    private static DevloopStack stack;

    @BeforeAll
    static void startTheStack() throws Exception {
        SharedStack.release(); // its settings differ from the shared stack's: one stack at a time
        Path root = Path.of(System.getProperty("devloop.root", ".."))
                .toAbsolutePath()
                .normalize();
        Path work = root.resolve("scenarios/target/durable-" + System.currentTimeMillis());
        openAi = new OpenAiStub();
        // the answer after the tool result is slow, so the run is caught mid-flight
        openAi.server()
                .stubFor(post(urlPathEqualTo("/v1/chat/completions"))
                        .atPriority(1)
                        .withRequestBody(containing("tool_call_id"))
                        .willReturn(aResponse()
                                .withStatus(200)
                                .withHeader("Content-Type", "application/json")
                                .withFixedDelay(6_000)
                                .withBody("""
                {"id":"chatcmpl-slow","object":"chat.completion","created":1764000000,"model":"gpt-4o-mini",
                 "choices":[{"index":0,"message":{"role":"assistant","content":"%s"},"finish_reason":"stop"}],
                 "usage":{"prompt_tokens":80,"completion_tokens":9,"total_tokens":89}}
                """.formatted(ANSWER))));
        tokens = new TestTokens(work.resolve("keys"));
        stack = DevloopStack.start(root, work, DevloopStack.env(openAi, tokens, Map.of()));
    }

    @AfterAll
    static void stopTheStack() throws Exception {
        if (stack != null) {
            stack.close();
        }
        if (openAi != null) {
            openAi.close();
        }
    }

    @Test
    void aRunInterruptedByACrashResumesAndNeverRepeatsItsToolCall() throws Exception {
        String tenant = "durable-" + UUID.randomUUID().toString().substring(0, 8);
        String gateway = stack.service("api-gateway").url();
        String token = tokens.token(tenant, "operator");

        String runId = given().baseUri(gateway)
                .header("Authorization", "Bearer " + token)
                .contentType(ContentType.JSON)
                .body("{\"input\":\"Remember that the build server is healthy\"}")
                .when()
                .post("/api/v1/agents/assistant/runs")
                .then()
                .statusCode(202)
                .extract()
                .path("id");

        // wait until the tool call is persisted and the second model call is in flight, then crash
        JsonPath run = awaitRun(gateway, token, runId, r -> r.getList("steps").size() >= 2, 60);
        assertThat(run.getString("status")).isEqualTo("RUNNING");
        stack.crashAndRestart("agent-service");

        JsonPath done = awaitRun(gateway, token, runId, r -> !"RUNNING".equals(r.getString("status")), 120);
        assertThat(done.getString("status")).isEqualTo("COMPLETED");
        assertThat(done.getString("result")).isEqualTo(ANSWER);
        assertThat(done.getList("steps.kind")).containsExactly("model_call", "tool_call", "model_call");

        // the model was asked again after the restart, but the tool ran once
        openAi.server().verify(3, postRequestedFor(urlPathEqualTo("/v1/chat/completions")));
        try (MongoClient mongo = MongoClients.create(MONGO)) {
            long executions = mongo.getDatabase("devloop_tools")
                    .getCollection("invocations")
                    .countDocuments(Filters.and(Filters.eq("tenant", tenant), Filters.eq("runId", runId)));
            assertThat(executions).as("tool executions recorded for the run").isEqualTo(1);
        }
        assertThat(stack.service("agent-service").logText()).contains("resuming run " + runId);
    }

    private static JsonPath awaitRun(
            String gateway, String token, String runId, java.util.function.Predicate<JsonPath> done, int seconds)
            throws InterruptedException {
        long deadline = System.nanoTime() + seconds * 1_000_000_000L;
        JsonPath last = null;
        while (System.nanoTime() < deadline) {
            var response = given().baseUri(gateway)
                    .header("Authorization", "Bearer " + token)
                    .when()
                    .get("/api/v1/runs/" + runId)
                    .then()
                    .extract();
            if (response.statusCode() == 200) {
                last = response.jsonPath();
                if (done.test(last)) {
                    return last;
                }
            }
            Thread.sleep(200);
        }
        throw new AssertionError("run " + runId + " did not reach the expected state in " + seconds + " s; last: "
                + (last == null ? "none" : last.prettify()));
    }
}
