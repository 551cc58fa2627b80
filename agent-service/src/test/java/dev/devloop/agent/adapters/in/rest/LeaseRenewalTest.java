package dev.devloop.agent.adapters.in.rest;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import com.mongodb.client.MongoClient;
import com.mongodb.client.model.Filters;
import dev.devloop.agent.application.LeaseKeeper;
import dev.devloop.contracts.Headers;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.bson.Document;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A parent run blocked in a long child run (a handoff whose target's model call hangs on a latch)
 * keeps its stored lease fresh without appending a step, so no recovery pass would take it over; the
 * renewals stop when the wait ends. Real MongoDB, a 2-second lease renewed every 200 ms.
 */
@QuarkusTest
@TestProfile(LeaseRenewalTest.ShortLease.class)
class LeaseRenewalTest {

    /** A short lease; no scheduler, so no recovery pass races the assertions on the stored lease. */
    public static class ShortLease implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "devloop.agent.run-lease",
                    "PT2S",
                    "devloop.agent.lease-renew-every",
                    "PT0.2S",
                    "quarkus.scheduler.enabled",
                    "false");
        }
    }

    @Inject
    TestPorts.Model model;

    @Inject
    TestPorts.Tools tools;

    @Inject
    LeaseKeeper leases;

    @Inject
    MongoClient mongo;

    @ConfigProperty(name = "devloop.agent.database")
    String database;

    private final String tenant = "t-" + UUID.randomUUID();

    @BeforeEach
    void reset() {
        model.reset();
        tools.reset();
    }

    @Test
    void aParentWaitingOnAChildRunKeepsItsLeaseUntilTheWaitEnds() throws Exception {
        CountDownLatch childEntered = new CountDownLatch(1);
        CountDownLatch releaseChild = new CountDownLatch(1);
        model.callTool("h1", "handoff", "{\"toAgentType\":\"planner\",\"task\":\"plan the release\"}")
                .blockThenAnswer(childEntered, releaseChild, "1. build 2. ship")
                .answer("the planner answered");

        String runId = given().header(Headers.TENANT, tenant)
                .contentType(ContentType.JSON)
                .body("{\"input\":\"get a plan\"}")
                .post("/agents/assistant/runs")
                .then()
                .statusCode(202)
                .extract()
                .path("id");
        assertThat(childEntered.await(30, TimeUnit.SECONDS)).isTrue();

        Document before = parent(runId);
        int steps = before.getList("steps", Document.class).size();
        Date firstLease = before.getDate("leaseUntil");
        assertThat(leases.held()).isPositive();
        // the stored lease moves forward while the parent appends nothing
        Document renewed = before;
        for (int i = 0; i < 200 && !renewed.getDate("leaseUntil").after(firstLease); i++) {
            Thread.sleep(50);
            renewed = parent(runId);
        }
        assertThat(renewed.getDate("leaseUntil")).isAfter(firstLease);
        assertThat(renewed.getList("steps", Document.class)).hasSize(steps);
        assertThat(renewed.getString("status")).isEqualTo("RUNNING");
        assertThat(renewed.getDate("leaseRenewedAt")).isAfter(before.getDate("leaseRenewedAt"));

        releaseChild.countDown();
        Document done = parent(runId);
        for (int i = 0; i < 300 && "RUNNING".equals(done.getString("status")); i++) {
            Thread.sleep(100);
            done = parent(runId);
        }
        assertThat(done.getString("status")).isEqualTo("COMPLETED");
        assertThat(done.getString("result")).isEqualTo("the planner answered");
        // the hold closed with the wait, and a finished run carries no lease; a run's heartbeat hold closes just after
        // its last write (the stored COMPLETED seen above), so it is awaited (bounded) rather than read at once: one
        // read raced that close at load 35 (held 1)
        for (int i = 0; i < 300 && leases.held() > 0; i++) {
            Thread.sleep(100);
        }
        assertThat(leases.held()).isZero();
        assertThat(done.containsKey("leaseUntil")).isFalse();
        List<Document> toolSteps = done.getList("steps", Document.class).stream()
                .filter(s -> "TOOL_CALL".equals(s.getString("kind")))
                .toList();
        assertThat(toolSteps).singleElement().satisfies(s -> assertThat(s.getString("status"))
                .isEqualTo("SUCCEEDED"));
    }

    private Document parent(String runId) {
        return mongo.getDatabase(database)
                .getCollection("runs")
                .find(Filters.and(Filters.eq("_id", runId), Filters.eq("tenant", tenant)))
                .first();
    }
}
