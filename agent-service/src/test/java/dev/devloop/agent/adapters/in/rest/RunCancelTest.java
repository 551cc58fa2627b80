package dev.devloop.agent.adapters.in.rest;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import dev.devloop.agent.support.KafkaProbe;
import dev.devloop.contracts.Headers;
import dev.devloop.contracts.Topics;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * {@code POST /runs/{id}/cancel} on the real MongoDB and Kafka: the cancel lands while a model call is
 * in flight (the scripted model blocks on a latch), and the loop — which reads the request from the
 * store, not from memory — ends the run CANCELLED without executing the tool the model then asked for.
 */
@QuarkusTest
class RunCancelTest extends RunningServiceFixture {
    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @Test
    void aCancelLandingMidRunEndsItCancelledAtTheNextStepBoundary() throws Exception {
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        model.blockThenCallTool(entered, release, "call_1", "store_fact", "{\"entity\":\"e\"}")
                .answer("never asked");

        try (KafkaProbe results = new KafkaProbe(bootstrap, Topics.AGENT_RESULTS)) {
            String runId = startRun("assistant", "work");
            assertThat(entered.await(30, TimeUnit.SECONDS)).isTrue();

            // another tenant cannot see, let alone cancel, the run
            given().header(Headers.TENANT, "other-" + tenant)
                    .contentType(ContentType.JSON)
                    .body("{}")
                    .post("/runs/" + runId + "/cancel")
                    .then()
                    .statusCode(404);
            as().body("{\"reason\":\"operator said stop\"}")
                    .post("/runs/" + runId + "/cancel")
                    .then()
                    .statusCode(200)
                    .body("status", equalTo("RUNNING"))
                    .body("cancelReason", equalTo("operator said stop"));
            release.countDown();

            String status = awaitTerminal(runId);
            assertThat(status).isEqualTo("CANCELLED");
            given().header(Headers.TENANT, tenant)
                    .get("/runs/" + runId)
                    .then()
                    .statusCode(200)
                    .body("error", equalTo("cancelled: operator said stop"))
                    .body("steps.kind", org.hamcrest.Matchers.contains("model_call"))
                    .body("steps[0].toolCalls[0].name", equalTo("store_fact"));
            // the tool the model asked for after the cancel was never executed, and no further model call was made
            assertThat(tools.executed()).isEmpty();
            assertThat(model.requests()).hasSize(1);

            List<KafkaProbe.Keyed> finished =
                    results.await(e -> runId.equals(e.event().path("subject").asText()), 1, Duration.ofSeconds(30));
            assertThat(finished).singleElement().satisfies(e -> {
                assertThat(e.event().path("data").path("status").asText()).isEqualTo("CANCELLED");
                assertThat(e.event().path("data").path("error").asText()).contains("operator said stop");
            });

            // idempotent: a second cancel answers the same state, without a body too
            given().header(Headers.TENANT, tenant)
                    .post("/runs/" + runId + "/cancel")
                    .then()
                    .statusCode(200)
                    .body("status", equalTo("CANCELLED"))
                    .body("cancelReason", equalTo("operator said stop"));
        }
    }

    @Test
    void aFinishedRunCannotBeCancelledAndAnUnknownOneIs404() {
        model.answer("done");
        String runId = as().body("{\"input\":\"x\"}")
                .post("/agents/assistant/runs?wait=true")
                .then()
                .statusCode(200)
                .extract()
                .path("id");
        as().body("{}")
                .post("/runs/" + runId + "/cancel")
                .then()
                .statusCode(409)
                .contentType("application/problem+json")
                .body("detail", containsString("COMPLETED"));
        as().body("{}").post("/runs/run_nope/cancel").then().statusCode(404);
        as().body("{\"reason\":\"" + "r".repeat(2000) + "\"}")
                .post("/runs/" + runId + "/cancel")
                .then()
                .statusCode(400)
                .body("field", equalTo("reason"));
    }

    private String awaitTerminal(String runId) throws InterruptedException {
        for (int i = 0; i < 300; i++) {
            String status = given().header(Headers.TENANT, tenant)
                    .get("/runs/" + runId)
                    .then()
                    .statusCode(200)
                    .extract()
                    .path("status");
            if (!"RUNNING".equals(status)) {
                return status;
            }
            Thread.sleep(100);
        }
        return "RUNNING";
    }
}
