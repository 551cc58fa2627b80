package dev.devloop.agent.adapters.in.rest;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.devloop.agent.domain.Proposal;
import dev.devloop.agent.ports.in.RunAgentUseCase;
import dev.devloop.agent.ports.out.ProposalRepositoryPort;
import dev.devloop.agent.ports.out.RunRepositoryPort;
import dev.devloop.agent.support.KafkaProbe;
import dev.devloop.contracts.Headers;
import dev.devloop.contracts.Topics;
import dev.devloop.contracts.provider.GenerateResponse;
import dev.devloop.contracts.provider.ToolCall;
import dev.devloop.contracts.provider.Usage;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The approval gate's edges on the real MongoDB and Kafka: a run that ends with proposals still pending
 * (cancelled while it waits, failed by an outage in the same answer) expires them — a later decision is
 * 409 naming EXPIRED, the pending gauge drops —; and a decision whose replica died before the run was told
 * (or before it resumed the run) is picked up by the next recovery pass.
 */
@QuarkusTest
class ApprovalEndingsTest extends RunningServiceFixture {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern PENDING_GAUGE =
            Pattern.compile("(?m)^devloop_agent_approvals_pending(?:\\{[^}]*\\})? ([0-9.eE+-]+)$");

    @Inject
    RunAgentUseCase runs;

    @Inject
    ProposalRepositoryPort proposals;

    @Inject
    RunRepositoryPort runStore;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @BeforeEach
    void registerGatedType() {
        as().body("""
        {"type": "gated_ender", "level": "child", "instructions": "Write facts carefully.",
         "approval": {"graphWrites": true}, "limits": {"maxTurns": 6, "maxTokens": 10000, "maxSeconds": 120}}
        """).post("/agent-types").then().statusCode(201);
    }

    private static GenerateResponse asks(ToolCall... calls) {
        return new GenerateResponse(
                null, List.of(calls), new Usage(20, 8, 28), "test", "scripted", "tool_calls", false, 1, null);
    }

    private static ToolCall call(String id, String tool, String arguments) throws Exception {
        return new ToolCall(id, tool, JSON.readTree(arguments));
    }

    private String start(String input, String expectedStatus) {
        return as().body("{\"input\":\"" + input + "\"}")
                .post("/agents/gated_ender/runs?wait=true")
                .then()
                .statusCode(200)
                .body("status", equalTo(expectedStatus))
                .extract()
                .path("id");
    }

    private String proposalOf(String runId) {
        return given().header(Headers.TENANT, tenant)
                .queryParam("runId", runId)
                .get("/approvals")
                .then()
                .statusCode(200)
                .body("$", hasSize(1))
                .extract()
                .path("[0].id");
    }

    @Test
    void aRunCancelledWhileItWaitsExpiresItsProposalAndALaterDecisionIs409() throws Exception {
        model.reply(asks(call("c1", "store_fact", "{\"entity\":\"z\"}")));
        double before = pendingGauge();
        try (KafkaProbe lifecycle = new KafkaProbe(bootstrap, Topics.AGENT_LIFECYCLE)) {
            String runId = start("remember z", "AWAITING_APPROVAL");
            String proposal = proposalOf(runId);
            assertThat(pendingGauge()).isEqualTo(before + 1);

            as().body("{\"reason\":\"changed my mind\"}")
                    .post("/runs/" + runId + "/cancel")
                    .then()
                    .statusCode(200);
            assertThat(awaitStatus(runId)).isEqualTo("CANCELLED");
            // the proposals expire just after the terminal status is stored (the same ending, a moment later)
            assertThat(awaitProposalStatus(proposal)).isEqualTo("expired");

            given().header(Headers.TENANT, tenant)
                    .get("/approvals/" + proposal)
                    .then()
                    .statusCode(200)
                    .body("status", equalTo("expired"))
                    .body("decidedAt", notNullValue())
                    .body("note", containsString("CANCELLED"));
            given().header(Headers.TENANT, tenant)
                    .queryParam("status", "expired")
                    .queryParam("runId", runId)
                    .get("/approvals")
                    .then()
                    .statusCode(200)
                    .body("$", hasSize(1));
            given().header(Headers.TENANT, tenant)
                    .queryParam("status", "pending")
                    .queryParam("runId", runId)
                    .get("/approvals")
                    .then()
                    .statusCode(200)
                    .body("$", hasSize(0));
            assertThat(pendingGauge()).isEqualTo(before);

            given().header(Headers.TENANT, tenant)
                    .post("/approvals/" + proposal + "/approve")
                    .then()
                    .statusCode(409)
                    .contentType("application/problem+json")
                    .body("type", equalTo("https://devloop.dev/problems/proposal-decided"))
                    .body("detail", containsString("expired"));
            as().body("{\"reason\":\"late\"}")
                    .post("/approvals/" + proposal + "/reject")
                    .then()
                    .statusCode(409)
                    .body("detail", containsString("expired"));
            assertThat(lifecycle.await(
                            e -> e.event().path("type").asText().equals("dev.devloop.agent.approval.decided")
                                    && proposal.equals(e.event()
                                            .path("data")
                                            .path("proposalId")
                                            .asText()),
                            1,
                            Duration.ofSeconds(30)))
                    .singleElement()
                    .satisfies(e -> assertThat(
                                    e.event().path("data").path("status").asText())
                            .isEqualTo("EXPIRED"));
        }
        assertThat(tools.executed()).isEmpty();
        assertThat(model.requests()).hasSize(1);
    }

    @Test
    void aRunThatFailsInTheSameAnswerExpiresTheProposalItJustMade() throws Exception {
        // the write is held, the read in the same answer meets a tool-service outage: the run fails at once
        tools.outage("retrieve_fact");
        model.reply(asks(
                call("w1", "store_fact", "{\"entity\":\"a\"}"), call("r1", "retrieve_fact", "{\"entity\":\"b\"}")));
        String runId = start("write and read", "FAILED");
        String proposal = proposalOf(runId);
        assertThat(awaitProposalStatus(proposal)).isEqualTo("expired");
        given().header(Headers.TENANT, tenant)
                .get("/approvals/" + proposal)
                .then()
                .body("status", equalTo("expired"))
                .body("decidedAt", notNullValue())
                .body("note", containsString("FAILED"));
        as().body("{}")
                .post("/approvals/" + proposal + "/approve")
                .then()
                .statusCode(409)
                .body("type", equalTo("https://devloop.dev/problems/proposal-decided"))
                .body("detail", containsString("expired"));
        assertThat(tools.executed()).isEmpty();
    }

    @Test
    void aDecisionWhoseReplicaDiedBeforeTellingTheRunIsResumedByTheNextRecoveryPass() throws Exception {
        model.reply(asks(call("c1", "store_fact", "{\"entity\":\"x\"}"))).answer("resumed by recovery");
        String runId = start("remember x", "AWAITING_APPROVAL");
        String proposal = proposalOf(runId);
        // the deciding replica's compare-and-set, and then it died: the run still lists the proposal as pending
        assertThat(proposals.decide(
                        tenant, proposal, Proposal.Status.APPROVED, "person:carol", "fine", null, Instant.now()))
                .isPresent();
        given().header(Headers.TENANT, tenant)
                .get("/runs/" + runId)
                .then()
                .body("status", equalTo("AWAITING_APPROVAL"));

        runs.resumeAbandoned(); // one pass, well within a lease of the decision
        assertThat(awaitStatus(runId)).isEqualTo("COMPLETED");
        given().header(Headers.TENANT, tenant)
                .get("/runs/" + runId)
                .then()
                .body("result", equalTo("resumed by recovery"));
        assertThat(tools.executed()).singleElement().satisfies(r -> assertThat(r.idempotencyKey())
                .isEqualTo(proposal));
    }

    @Test
    void aRunToldOfItsDecisionButNotResumedIsResumedByTheNextRecoveryPass() throws Exception {
        model.reply(asks(call("c1", "store_fact", "{\"entity\":\"y\"}"))).answer("resumed at once");
        String runId = start("remember y", "AWAITING_APPROVAL");
        String proposal = proposalOf(runId);
        // decided and struck off the run, then the replica died before claiming the run
        proposals.decide(tenant, proposal, Proposal.Status.APPROVED, "person:dan", null, null, Instant.now());
        runStore.approvalDecided(tenant, runId, proposal);
        proposals.settled(tenant, proposal);

        runs.resumeAbandoned(); // not a lease later: the waiting run holds no lease
        assertThat(awaitStatus(runId)).isEqualTo("COMPLETED");
        assertThat(tools.executed()).singleElement().satisfies(r -> assertThat(r.idempotencyKey())
                .isEqualTo(proposal));
    }

    private static double pendingGauge() {
        String metrics =
                given().get("/q/metrics").then().statusCode(200).extract().asString();
        Matcher m = PENDING_GAUGE.matcher(metrics);
        assertThat(m.find()).as("devloop_agent_approvals_pending in /q/metrics").isTrue();
        return Double.parseDouble(m.group(1));
    }

    private String awaitProposalStatus(String proposalId) throws InterruptedException {
        String status = null;
        for (int i = 0; i < 100; i++) {
            status = given().header(Headers.TENANT, tenant)
                    .get("/approvals/" + proposalId)
                    .then()
                    .statusCode(200)
                    .extract()
                    .path("status");
            if (!"pending".equals(status)) {
                return status;
            }
            Thread.sleep(100);
        }
        return status;
    }

    private String awaitStatus(String runId) throws InterruptedException {
        for (int i = 0; i < 300; i++) {
            String status = given().header(Headers.TENANT, tenant)
                    .get("/runs/" + runId)
                    .then()
                    .statusCode(200)
                    .extract()
                    .path("status");
            if (!"RUNNING".equals(status) && !"AWAITING_APPROVAL".equals(status)) {
                return status;
            }
            Thread.sleep(100);
        }
        return "TIMEOUT";
    }
}
