package dev.devloop.agent.adapters.in.rest;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;

import com.mongodb.client.MongoClient;
import com.mongodb.client.model.Filters;
import dev.devloop.contracts.Headers;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.util.Date;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.bson.Document;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * Agent liveness on the real MongoDB: {@code availability} on agent views from the runs in flight and
 * their heartbeats (lease renewals); work for an overloaded or unresponsive agent is refused (409).
 */
@QuarkusTest
class AgentAvailabilityTest extends RunningServiceFixture {
    @Inject
    MongoClient mongo;

    @ConfigProperty(name = "devloop.agent.database")
    String database;

    private String spawn(String type) {
        return spawn(type, null);
    }

    @Test
    void anAgentAtItsConcurrentRunLimitIsOverloadedAndTakesNoMoreWork() throws Exception {
        as().body("{\"type\":\"single_runner\","
                        + "\"level\":\"child\",\"instructions\":\"One at a time.\","
                        + "\"limits\":{\"maxTurns\":3,\"maxTokens\":10000,\"maxSeconds\":120,\"maxConcurrentRuns\":1}}")
                .post("/agent-types")
                .then()
                .statusCode(201)
                .body("maxConcurrentRuns", equalTo(1));
        String agent = spawn("single_runner");
        given().header(Headers.TENANT, tenant)
                .get("/agents/" + agent)
                .then()
                .body("availability", equalTo("available"))
                .body("inFlightRuns", equalTo(0));

        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        model.blockThenAnswer(entered, release, "done");
        String runId = as().body("{\"input\":\"work\"}")
                .post("/agents/" + agent + "/runs")
                .then()
                .statusCode(202)
                .extract()
                .path("id");
        try {
            assertThat(entered.await(30, TimeUnit.SECONDS)).isTrue();
            given().header(Headers.TENANT, tenant)
                    .get("/agents/" + agent)
                    .then()
                    .body("availability", equalTo("overloaded"))
                    .body("inFlightRuns", equalTo(1))
                    .body("heartbeatAt", notNullValue());
            given().header(Headers.TENANT, tenant)
                    .queryParam("type", "single_runner")
                    .get("/agents")
                    .then()
                    .body("[0].availability", equalTo("overloaded"));
            as().body("{\"input\":\"more\"}")
                    .post("/agents/" + agent + "/runs")
                    .then()
                    .statusCode(409)
                    .contentType("application/problem+json")
                    .body("type", equalTo("https://devloop.dev/problems/agent-unavailable"));
        } finally {
            release.countDown();
        }
        for (int i = 0; i < 300 && !"COMPLETED".equals(status(runId)); i++) {
            Thread.sleep(100);
        }
        given().header(Headers.TENANT, tenant)
                .get("/agents/" + agent)
                .then()
                .body("availability", equalTo("available"));
    }

    @Test
    void anAgentWithARunInFlightIsBusyAndStillTakesWork() throws Exception {
        String agent = spawn("assistant");
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        model.blockThenAnswer(entered, release, "first").answer("second");
        String runId = as().body("{\"input\":\"a\"}")
                .post("/agents/" + agent + "/runs")
                .then()
                .statusCode(202)
                .extract()
                .path("id");
        try {
            assertThat(entered.await(30, TimeUnit.SECONDS)).isTrue();
            given().header(Headers.TENANT, tenant)
                    .get("/agents/" + agent)
                    .then()
                    .body("availability", equalTo("busy"));
            as().body("{\"input\":\"b\"}")
                    .post("/agents/" + agent + "/runs?wait=true")
                    .then()
                    .statusCode(200)
                    .body("result", equalTo("second"));
        } finally {
            release.countDown();
        }
        for (int i = 0; i < 300 && !"COMPLETED".equals(status(runId)); i++) {
            Thread.sleep(100);
        }
    }

    @Test
    void anAgentWhoseRunStoppedHeartbeatingIsUnresponsiveAndTakesNoWork() {
        String agent = spawn("assistant");
        // a run whose runner hangs: its lease is still valid (no recovery takes it) but it renewed nothing for an hour
        String stuck = "run_" + UUID.randomUUID();
        Date hourAgo = new Date(System.currentTimeMillis() - 3_600_000);
        mongo.getDatabase(database)
                .getCollection("runs")
                .insertOne(new Document("_id", stuck)
                        .append("tenant", tenant)
                        .append("agentId", agent)
                        .append("agentType", "assistant")
                        .append("input", "x")
                        .append("status", "RUNNING")
                        .append("steps", List.of())
                        .append("createdAt", hourAgo)
                        .append("updatedAt", hourAgo)
                        .append("owner", "hung-replica")
                        .append("leaseRenewedAt", hourAgo)
                        .append("leaseUntil", new Date(System.currentTimeMillis() + 3_600_000)));
        try {
            given().header(Headers.TENANT, tenant)
                    .get("/agents/" + agent)
                    .then()
                    .body("availability", equalTo("unresponsive"))
                    .body("inFlightRuns", equalTo(1));
            as().body("{\"input\":\"work\"}")
                    .post("/agents/" + agent + "/runs")
                    .then()
                    .statusCode(409)
                    .body("type", equalTo("https://devloop.dev/problems/agent-unavailable"));
            assertThat(model.requests()).isEmpty();
        } finally {
            mongo.getDatabase(database).getCollection("runs").deleteOne(Filters.eq("_id", stuck));
        }
    }

    private String status(String runId) {
        return given().header(Headers.TENANT, tenant)
                .get("/runs/" + runId)
                .then()
                .extract()
                .path("status");
    }
}
