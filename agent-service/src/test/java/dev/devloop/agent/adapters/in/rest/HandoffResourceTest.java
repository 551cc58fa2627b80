package dev.devloop.agent.adapters.in.rest;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import dev.devloop.agent.support.KafkaProbe;
import dev.devloop.contracts.Headers;
import dev.devloop.contracts.Topics;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Handoffs over REST on the real MongoDB and Kafka: facts and the HANDED_OFF_TO event go out on Kafka. */
@QuarkusTest
class HandoffResourceTest {
    @Inject
    TestPorts.Model model;

    @Inject
    TestPorts.Tools tools;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    private final String tenant = "h-" + UUID.randomUUID();

    @BeforeEach
    void reset() {
        model.reset();
        tools.reset();
    }

    private String spawn(String type) {
        return given().header(Headers.TENANT, tenant)
                .contentType(ContentType.JSON)
                .body("{\"type\":\"" + type + "\"}")
                .when()
                .post("/agents")
                .then()
                .statusCode(201)
                .extract()
                .path("id");
    }

    @Test
    void aHandoffRecordsFactsAndTheLinkRunsTheTaskAndAnswersWithTheResult() throws Exception {
        String from = spawn("assistant");
        model.answer("1. tag v2  2. ship it");
        try (KafkaProbe kafka = new KafkaProbe(bootstrap, Topics.AGENT_LIFECYCLE, Topics.KNOWLEDGE_FACTS)) {
            var body = given().header(Headers.TENANT, tenant)
                    .contentType(ContentType.JSON)
                    .body(
                            "{\"toAgentType\":\"planner\",\"task\":\"plan the v2 release\",\"context\":\"v2 ships on friday\"}")
                    .when()
                    .post("/agents/" + from + "/handoffs")
                    .then()
                    .statusCode(200)
                    .body("handoffId", startsWith("hof_"))
                    .body("fromAgentId", equalTo(from))
                    .body("toAgentType", equalTo("planner"))
                    .body("status", equalTo("COMPLETED"))
                    .body("result", equalTo("1. tag v2  2. ship it"))
                    .extract();
            String handoffId = body.path("handoffId");
            String target = body.path("targetAgentId");
            String runId = body.path("runId");

            // the target ran the task with the context handed over, under its own template
            assertThat(model.requests()).singleElement().satisfies(r -> {
                assertThat(r.messages().get(1).content())
                        .contains("v2 ships on friday")
                        .contains("plan the v2 release");
                assertThat(r.messages().get(0).content()).contains("Step 1: Identify the goal");
            });
            given().header(Headers.TENANT, tenant)
                    .when()
                    .get("/runs/" + runId)
                    .then()
                    .statusCode(200)
                    .body("agentId", equalTo(target))
                    .body("status", equalTo("COMPLETED"));
            given().header(Headers.TENANT, tenant)
                    .when()
                    .get("/handoffs/" + handoffId)
                    .then()
                    .statusCode(200)
                    .body("targetAgentId", equalTo(target))
                    .body("result", equalTo("1. tag v2  2. ship it"));
            given().header(Headers.TENANT, "someone-else")
                    .when()
                    .get("/handoffs/" + handoffId)
                    .then()
                    .statusCode(404);

            // the link, in the shape knowledge-service mirrors as HANDED_OFF_TO, keyed by the handing-off agent
            List<KafkaProbe.Keyed> link = kafka.await(
                    k -> k.event().path("type").asText().equals("dev.devloop.agent.handoff")
                            && k.event().path("data").path("handoffId").asText().equals(handoffId),
                    1,
                    Duration.ofSeconds(20));
            assertThat(link).singleElement().satisfies(k -> {
                assertThat(k.key()).isEqualTo(from);
                assertThat(k.event().path("tenant").asText()).isEqualTo(tenant);
                assertThat(k.event().path("data").path("fromAgentId").asText()).isEqualTo(from);
                assertThat(k.event().path("data").path("toAgentId").asText()).isEqualTo(target);
                assertThat(k.event().path("data").path("toAgentType").asText()).isEqualTo("planner");
            });
            // the facts, as knowledge-service's asynchronous writes keyed by entity
            List<KafkaProbe.Keyed> facts = kafka.await(
                    k -> k.topic().equals(Topics.KNOWLEDGE_FACTS) && handoffId.equals(k.key()),
                    6,
                    Duration.ofSeconds(20));
            Set<String> attributes = facts.stream()
                    .map(k -> k.event().path("data").path("attribute").asText())
                    .collect(Collectors.toSet());
            assertThat(attributes).contains("from_agent", "context", "task", "to_agent", "status", "result");
            assertThat(facts).allSatisfy(k -> {
                assertThat(k.event().path("type").asText()).isEqualTo("dev.devloop.knowledge.fact.write");
                assertThat(k.event().path("tenant").asText()).isEqualTo(tenant);
            });
        }
    }

    @Test
    void badHandoffsAreProblemsNamingTheCause() {
        String from = spawn("assistant");
        given().header(Headers.TENANT, tenant)
                .contentType(ContentType.JSON)
                .body("{\"toAgentType\":\"planner\"}")
                .when()
                .post("/agents/" + from + "/handoffs")
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("field", equalTo("task"));
        given().header(Headers.TENANT, tenant)
                .contentType(ContentType.JSON)
                .body("{\"toAgentType\":\"repair\",\"task\":\"fix\"}")
                .when()
                .post("/agents/" + from + "/handoffs")
                .then()
                .statusCode(409)
                .contentType("application/problem+json");
        given().header(Headers.TENANT, tenant)
                .contentType(ContentType.JSON)
                .body("{\"toAgentType\":\"nobody\",\"task\":\"fix\"}")
                .when()
                .post("/agents/" + from + "/handoffs")
                .then()
                .statusCode(404)
                .contentType("application/problem+json");
        given().header(Headers.TENANT, "other-" + tenant)
                .contentType(ContentType.JSON)
                .body("{\"toAgentType\":\"planner\",\"task\":\"fix\"}")
                .when()
                .post("/agents/" + from + "/handoffs")
                .then()
                .statusCode(404)
                .contentType("application/problem+json");
        given().contentType(ContentType.JSON)
                .body("{\"toAgentType\":\"planner\",\"task\":\"fix\"}")
                .when()
                .post("/agents/" + from + "/handoffs")
                .then()
                .statusCode(400)
                .contentType("application/problem+json");
        assertThat(model.requests()).isEmpty();
    }
}
