package dev.devloop.agent.adapters.in.rest;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.devloop.agent.ports.in.RunAgentUseCase;
import dev.devloop.agent.support.KafkaProbe;
import dev.devloop.contracts.Headers;
import dev.devloop.contracts.Topics;
import dev.devloop.contracts.provider.ChatMessage;
import dev.devloop.contracts.provider.GenerateResponse;
import dev.devloop.contracts.provider.ToolCall;
import dev.devloop.contracts.provider.Usage;
import dev.devloop.contracts.tools.ToolInvocationRequest;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Approve before write on the real MongoDB and Kafka: a definition with {@code approval.graphWrites}
 * whose scripted model asks for {@code store_fact} (registered as writing the graph) parks its run
 * AWAITING_APPROVAL with a proposal; an operator's decision resumes it — approved, the tool runs once
 * with the proposal id as idempotency key; rejected, the model reads the reason as the call's result.
 */
@QuarkusTest
class ApprovalResourceTest extends RunningServiceFixture {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    RunAgentUseCase runs;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @BeforeEach
    void registerGatedType() {
        as().body("""
        {"type": "gated_writer", "level": "child", "instructions": "Write facts carefully.",
         "approval": {"graphWrites": true}, "limits": {"maxTurns": 6, "maxTokens": 10000, "maxSeconds": 120}}
        """).post("/agent-types").then().statusCode(201).body("approval.graphWrites", equalTo(true));
    }

    private static GenerateResponse asks(String reasoning, String text, ToolCall... calls) {
        return new GenerateResponse(
                text, List.of(calls), new Usage(20, 8, 28), "test", "scripted", "tool_calls", false, 1, reasoning);
    }

    private static ToolCall call(String id, String tool, String arguments) throws Exception {
        return new ToolCall(id, tool, JSON.readTree(arguments));
    }

    private String startParked(String input) {
        return as().body("{\"input\":\"" + input + "\"}")
                .post("/agents/gated_writer/runs?wait=true")
                .then()
                .statusCode(200)
                .body("status", equalTo("AWAITING_APPROVAL"))
                .extract()
                .path("id");
    }

    @Test
    void anApprovedWriteRunsExactlyOnceAndTheRunResumes() throws Exception {
        model.reply(asks(
                        "the user wants it remembered",
                        "I will store it",
                        call("c1", "store_fact", "{\"entity\":\"build\",\"value\":\"green\"}")))
                .answer("stored after approval");
        try (KafkaProbe lifecycle = new KafkaProbe(bootstrap, Topics.AGENT_LIFECYCLE)) {
            String runId = startParked("remember the build is green");
            assertThat(tools.executed()).isEmpty();
            given().header(Headers.TENANT, tenant)
                    .get("/runs/" + runId)
                    .then()
                    .statusCode(200)
                    .body("status", equalTo("AWAITING_APPROVAL"))
                    .body("steps.kind", contains("model_call", "approval"))
                    .body("steps[0].reasoning", equalTo("the user wants it remembered"))
                    .body("steps[1].status", equalTo("PENDING"))
                    .body("steps[1].tool", equalTo("store_fact"));

            List<String> ids = given().header(Headers.TENANT, tenant)
                    .queryParam("status", "pending")
                    .queryParam("runId", runId)
                    .get("/approvals")
                    .then()
                    .statusCode(200)
                    .body("$", hasSize(1))
                    .body("[0].tool", equalTo("store_fact"))
                    .body("[0].arguments.entity", equalTo("build"))
                    .body("[0].reasoning", equalTo("the user wants it remembered"))
                    .body("[0].toolCallId", equalTo("c1"))
                    .body("[0].agentType", equalTo("gated_writer"))
                    .body("[0].status", equalTo("pending"))
                    .extract()
                    .path("id");
            String proposal = ids.get(0);
            assertThat(lifecycle.await(
                            e -> e.event().path("type").asText().equals("dev.devloop.agent.approval.requested")
                                    && proposal.equals(e.event()
                                            .path("data")
                                            .path("proposalId")
                                            .asText()),
                            1,
                            Duration.ofSeconds(30)))
                    .hasSize(1);

            given().header(Headers.TENANT, tenant)
                    .header(Headers.SUBJECT, "person:alice")
                    .contentType(ContentType.JSON)
                    .body("{\"note\":\"looks right\"}")
                    .post("/approvals/" + proposal + "/approve")
                    .then()
                    .statusCode(200)
                    .body("status", equalTo("approved"))
                    .body("decidedBy", equalTo("person:alice"))
                    .body("note", equalTo("looks right"))
                    .body("decidedAt", notNullValue());
            assertThat(awaitStatus(runId)).isEqualTo("COMPLETED");

            given().header(Headers.TENANT, tenant)
                    .get("/runs/" + runId)
                    .then()
                    .statusCode(200)
                    .body("result", equalTo("stored after approval"))
                    .body("steps.kind", contains("model_call", "approval", "tool_call", "model_call"))
                    .body("steps[2].status", equalTo("SUCCEEDED"))
                    .body("definitionVersion", equalTo(1));
            List<ToolInvocationRequest> executed = tools.executed();
            assertThat(executed).singleElement().satisfies(r -> assertThat(r.idempotencyKey())
                    .isEqualTo(proposal));

            // a second decision, either way, is refused
            as().body("{}")
                    .post("/approvals/" + proposal + "/approve")
                    .then()
                    .statusCode(409)
                    .contentType("application/problem+json")
                    .body("type", equalTo("https://devloop.dev/problems/proposal-decided"));
            as().body("{\"reason\":\"too late\"}")
                    .post("/approvals/" + proposal + "/reject")
                    .then()
                    .statusCode(409);
            assertThat(tools.executed()).hasSize(1);
            assertThat(lifecycle.await(
                            e -> e.event().path("type").asText().equals("dev.devloop.agent.approval.decided")
                                    && proposal.equals(e.event()
                                            .path("data")
                                            .path("proposalId")
                                            .asText()),
                            1,
                            Duration.ofSeconds(30)))
                    .singleElement()
                    .satisfies(e -> {
                        assertThat(e.event().path("data").path("status").asText())
                                .isEqualTo("APPROVED");
                        assertThat(e.event().path("data").path("decidedBy").asText())
                                .isEqualTo("person:alice");
                    });
        }
    }

    @Test
    void aRejectedWriteFeedsTheReasonToTheModel() throws Exception {
        model.reply(asks(null, "Storing it now", call("c1", "store_fact", "{\"entity\":\"prod\"}")))
                .answer("understood, not stored");
        String runId = startParked("remember prod");
        String proposal = given().header(Headers.TENANT, tenant)
                .queryParam("runId", runId)
                .get("/approvals")
                .then()
                .statusCode(200)
                .body("$", hasSize(1))
                // no provider reasoning: the text that came with the tool call is the reasoning
                .body("[0].reasoning", equalTo("Storing it now"))
                .extract()
                .path("[0].id");

        given().header(Headers.TENANT, tenant)
                .header(Headers.SUBJECT, "person:bob")
                .contentType(ContentType.JSON)
                .body("{\"reason\":\"prod facts are read-only\"}")
                .post("/approvals/" + proposal + "/reject")
                .then()
                .statusCode(200)
                .body("status", equalTo("rejected"))
                .body("reason", equalTo("prod facts are read-only"));
        assertThat(awaitStatus(runId)).isEqualTo("COMPLETED");
        assertThat(tools.executed()).isEmpty();
        ChatMessage toolResult = model.requests().get(1).messages().stream()
                .filter(m -> "tool".equals(m.role()))
                .findFirst()
                .orElseThrow();
        assertThat(JSON.readTree(toolResult.content()))
                .isEqualTo(JSON.readTree("{\"rejected\":true,\"reason\":\"prod facts are read-only\"}"));
        given().header(Headers.TENANT, tenant)
                .get("/runs/" + runId)
                .then()
                .body("steps[2].status", equalTo("APPROVAL_REJECTED"))
                .body("steps[2].output.rejected", equalTo(true));
    }

    @Test
    void aStepWithSeveralCallsRunsTheReadsAndWaitsForEveryProposal() throws Exception {
        model.reply(asks(
                        "two writes and a read",
                        null,
                        call("w1", "store_fact", "{\"entity\":\"a\"}"),
                        call("r1", "retrieve_fact", "{\"entity\":\"b\"}"),
                        call("w2", "store_fact", "{\"entity\":\"c\"}")))
                .answer("all done");
        String runId = startParked("do three things");
        // the read ran at once (its own call id as key); both writes wait
        assertThat(tools.executed()).singleElement().satisfies(r -> assertThat(r.idempotencyKey())
                .isEqualTo("r1"));
        given().header(Headers.TENANT, tenant)
                .get("/runs/" + runId)
                .then()
                .body("steps.kind", contains("model_call", "approval", "tool_call", "approval"));
        List<String> proposals = given().header(Headers.TENANT, tenant)
                .queryParam("runId", runId)
                .queryParam("status", "pending")
                .get("/approvals")
                .then()
                .body("$", hasSize(2))
                .extract()
                .path("id");

        as().post("/approvals/" + proposals.get(0) + "/approve").then().statusCode(200);
        // one proposal still undecided: the run keeps waiting and the model is not asked again
        given().header(Headers.TENANT, tenant)
                .get("/runs/" + runId)
                .then()
                .body("status", equalTo("AWAITING_APPROVAL"));
        assertThat(model.requests()).hasSize(1);

        as().body("{\"reason\":\"no\"}")
                .post("/approvals/" + proposals.get(1) + "/reject")
                .then()
                .statusCode(200);
        assertThat(awaitStatus(runId)).isEqualTo("COMPLETED");
        assertThat(tools.executed()).hasSize(2);
        given().header(Headers.TENANT, tenant)
                .get("/runs/" + runId)
                .then()
                .body(
                        "steps.kind",
                        contains(
                                "model_call",
                                "approval",
                                "tool_call",
                                "approval",
                                "tool_call",
                                "tool_call",
                                "model_call"));
    }

    @Test
    void aWaitingRunSurvivesARecoveryPassAndResumesOnTheDecision() throws Exception {
        model.reply(asks("keep it", null, call("c1", "store_fact", "{\"entity\":\"x\"}")))
                .answer("resumed fine");
        String runId = startParked("remember x");
        int stepsBefore = given().header(Headers.TENANT, tenant)
                .get("/runs/" + runId)
                .then()
                .extract()
                .path("steps.size()");

        // a recovery pass (what a restarted replica runs first) neither resumes nor trips a run awaiting approval
        runs.resumeAbandoned();
        Thread.sleep(300);
        given().header(Headers.TENANT, tenant)
                .get("/runs/" + runId)
                .then()
                .body("status", equalTo("AWAITING_APPROVAL"))
                .body("steps", hasSize(stepsBefore));
        assertThat(model.requests()).hasSize(1);

        String proposal = given().header(Headers.TENANT, tenant)
                .queryParam("runId", runId)
                .get("/approvals")
                .then()
                .extract()
                .path("[0].id");
        given().header(Headers.TENANT, tenant)
                .post("/approvals/" + proposal + "/approve")
                .then()
                .statusCode(200);
        assertThat(awaitStatus(runId)).isEqualTo("COMPLETED");
        given().header(Headers.TENANT, tenant)
                .get("/runs/" + runId)
                .then()
                .body("result", equalTo("resumed fine"))
                .body("approvalWaitMs", notNullValue());
    }

    @Test
    void anotherTenantSeesNothingAndBadRequestsAre400() throws Exception {
        model.reply(asks(null, null, call("c1", "store_fact", "{\"entity\":\"y\"}")))
                .answer("ok");
        String runId = startParked("remember y");
        String proposal = given().header(Headers.TENANT, tenant)
                .queryParam("runId", runId)
                .get("/approvals")
                .then()
                .extract()
                .path("[0].id");
        String other = "other-" + tenant;
        given().header(Headers.TENANT, other)
                .get("/approvals/" + proposal)
                .then()
                .statusCode(404);
        given().header(Headers.TENANT, other)
                .queryParam("runId", runId)
                .get("/approvals")
                .then()
                .statusCode(200)
                .body("$", hasSize(0));
        given().header(Headers.TENANT, other)
                .post("/approvals/" + proposal + "/approve")
                .then()
                .statusCode(404)
                .contentType("application/problem+json");
        given().header(Headers.TENANT, other)
                .contentType(ContentType.JSON)
                .body("{\"reason\":\"x\"}")
                .post("/approvals/" + proposal + "/reject")
                .then()
                .statusCode(404);

        as().body("{}")
                .post("/approvals/" + proposal + "/reject")
                .then()
                .statusCode(400)
                .body("field", equalTo("reason"));
        as().body("{\"reason\":\"" + "r".repeat(2001) + "\"}")
                .post("/approvals/" + proposal + "/reject")
                .then()
                .statusCode(400)
                .body("field", equalTo("reason"));
        as().body("not json")
                .post("/approvals/" + proposal + "/reject")
                .then()
                .statusCode(400)
                .body("field", equalTo("reason"));
        as().body("{\"note\":5}")
                .post("/approvals/" + proposal + "/approve")
                .then()
                .statusCode(400)
                .body("field", equalTo("note"));
        given().header(Headers.TENANT, tenant)
                .queryParam("status", "maybe")
                .get("/approvals")
                .then()
                .statusCode(400)
                .body("field", equalTo("status"));
        given().header(Headers.TENANT, tenant)
                .queryParam("limit", 0)
                .get("/approvals")
                .then()
                .statusCode(400)
                .body("field", equalTo("limit"));
        given().get("/approvals").then().statusCode(400);
        // none of the refused decisions decided anything
        given().header(Headers.TENANT, tenant)
                .get("/approvals/" + proposal)
                .then()
                .statusCode(200)
                .body("status", equalTo("pending"));
        given().header(Headers.TENANT, tenant)
                .get("/runs/" + runId)
                .then()
                .body("status", equalTo("AWAITING_APPROVAL"));

        // the metrics
        String metrics =
                given().get("/q/metrics").then().statusCode(200).extract().asString();
        assertThat(metrics).contains("devloop_agent_approvals_pending");
    }

    @Test
    void aRunCancelledWhileItWaitsEndsCancelledAndItsHeldCallNeverRuns() throws Exception {
        model.reply(asks(null, null, call("c1", "store_fact", "{\"entity\":\"z\"}")));
        String runId = startParked("remember z");
        as().body("{\"reason\":\"changed my mind\"}")
                .post("/runs/" + runId + "/cancel")
                .then()
                .statusCode(200);
        assertThat(awaitStatus(runId)).isEqualTo("CANCELLED");
        given().header(Headers.TENANT, tenant)
                .get("/runs/" + runId)
                .then()
                .body("error", equalTo("cancelled: changed my mind"));
        String proposal = given().header(Headers.TENANT, tenant)
                .queryParam("runId", runId)
                .get("/approvals")
                .then()
                .extract()
                .path("[0].id");
        // the run ended: its proposal expired, so approving afterwards is refused and runs nothing
        given().header(Headers.TENANT, tenant)
                .post("/approvals/" + proposal + "/approve")
                .then()
                .statusCode(409)
                .body("detail", org.hamcrest.Matchers.containsString("expired"));
        Thread.sleep(300);
        assertThat(tools.executed()).isEmpty();
        assertThat(model.requests()).hasSize(1);
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
