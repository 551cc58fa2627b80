package dev.devloop.agent.adapters.in.rest;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;

import dev.devloop.contracts.Headers;
import dev.devloop.contracts.provider.ChatMessage;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Live definitions on the real MongoDB: {@code PUT /agent-types/{type}} writes the next version (who and
 * when, kept in the history); the next run uses it at once — definitions are read from MongoDB at every
 * run start, so every replica sees it without a restart — while a run in flight keeps its version.
 */
@QuarkusTest
class AgentTypeVersionsTest {
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

    private static String body(String instructions) {
        return "{\"type\":\"versioned\",\"level\":\"child\",\"instructions\":\"" + instructions
                + "\",\"limits\":{\"maxTurns\":3,\"maxTokens\":10000,\"maxSeconds\":120}}";
    }

    @Test
    void anUpdateIsANewVersionTheNextRunUsesWhileARunInFlightKeepsItsOwn() throws Exception {
        given().header(Headers.TENANT, tenant)
                .header(Headers.SUBJECT, "person:alice")
                .contentType(ContentType.JSON)
                .body(body("Version one instructions."))
                .post("/agent-types")
                .then()
                .statusCode(201)
                .body("version", equalTo(1))
                .body("changedBy", equalTo("person:alice"))
                .body("changedAt", notNullValue());

        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        model.blockThenAnswer(entered, release, "answered under v1").answer("answered under v2");
        String first = given().header(Headers.TENANT, tenant)
                .contentType(ContentType.JSON)
                .body("{\"input\":\"go\"}")
                .post("/agents/versioned/runs")
                .then()
                .statusCode(202)
                .extract()
                .path("id");
        assertThat(entered.await(30, TimeUnit.SECONDS)).isTrue();

        given().header(Headers.TENANT, tenant)
                .header(Headers.SUBJECT, "person:bob")
                .contentType(ContentType.JSON)
                .body(body("Version two instructions."))
                .put("/agent-types/versioned")
                .then()
                .statusCode(200)
                .body("version", equalTo(2))
                .body("changedBy", equalTo("person:bob"));
        given().header(Headers.TENANT, tenant)
                .get("/agent-types/versioned")
                .then()
                .statusCode(200)
                .body("version", equalTo(2))
                .body("instructions", equalTo("Version two instructions."));

        release.countDown();
        awaitCompleted(first);
        given().header(Headers.TENANT, tenant)
                .get("/runs/" + first)
                .then()
                .body("definitionVersion", equalTo(1))
                .body("result", equalTo("answered under v1"));

        String second = given().header(Headers.TENANT, tenant)
                .contentType(ContentType.JSON)
                .body("{\"input\":\"again\"}")
                .post("/agents/versioned/runs?wait=true")
                .then()
                .statusCode(200)
                .body("status", equalTo("COMPLETED"))
                .body("definitionVersion", equalTo(2))
                .extract()
                .path("id");
        assertThat(second).isNotEqualTo(first);
        ChatMessage system = model.requests().get(1).messages().get(0);
        assertThat(system.content()).contains("Version two instructions.");
        assertThat(model.requests().get(0).messages().get(0).content()).contains("Version one instructions.");

        given().header(Headers.TENANT, tenant)
                .get("/agent-types/versioned/versions")
                .then()
                .statusCode(200)
                .body("version", contains(2, 1))
                .body("changedBy", contains("person:bob", "person:alice"))
                .body("instructions", contains("Version two instructions.", "Version one instructions."));
    }

    @Test
    void versionsAreTenantScopedAndBounded() {
        given().header(Headers.TENANT, tenant)
                .contentType(ContentType.JSON)
                .body(body("Mine."))
                .post("/agent-types")
                .then()
                .statusCode(201);
        given().header(Headers.TENANT, "other-" + tenant)
                .get("/agent-types/versioned/versions")
                .then()
                .statusCode(404);
        given().header(Headers.TENANT, tenant)
                .get("/agent-types/nope/versions")
                .then()
                .statusCode(404);
        given().header(Headers.TENANT, tenant)
                .get("/agent-types/planner/versions")
                .then()
                .statusCode(200)
                .body("$", hasSize(1))
                .body("[0].version", equalTo(0))
                .body("[0].scope", equalTo("shipped"));
        given().header(Headers.TENANT, tenant)
                .queryParam("limit", 0)
                .get("/agent-types/versioned/versions")
                .then()
                .statusCode(400)
                .body("field", equalTo("limit"));
    }

    private void awaitCompleted(String runId) throws InterruptedException {
        for (int i = 0; i < 300; i++) {
            String status = given().header(Headers.TENANT, tenant)
                    .get("/runs/" + runId)
                    .then()
                    .extract()
                    .path("status");
            if ("COMPLETED".equals(status)) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("run " + runId + " did not complete");
    }
}
