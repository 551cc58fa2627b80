package dev.devloop.agent.adapters.in.rest;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

import dev.devloop.agent.adapters.out.http.WireMockSiblings;
import dev.devloop.agent.support.KafkaProbe;
import dev.devloop.contracts.Headers;
import dev.devloop.contracts.Topics;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A System Health Agent check over REST: it reads this very service's real {@code /q/health} and
 * {@code /q/metrics} and a component whose port is closed, diagnoses and repairs the dead one with
 * child agents (scripted model), records facts and publishes on the real Kafka, and retires its tree. Its components
 * (this service on a known port, a closed port) are configured by {@link WireMockSiblings}, whose application it shares.
 */
@QuarkusTest
@TestProfile(WireMockSiblings.class)
class SystemHealthResourceTest {

    @Inject
    TestPorts.Model model;

    @Inject
    TestPorts.Tools tools;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    private final String tenant = "sh-" + UUID.randomUUID();

    @BeforeEach
    void reset() {
        model.reset();
        tools.reset();
    }

    @Test
    void aCheckDiagnosesAndRepairsTheDeadComponentRecordsEveryStatusAndRetiresItsTree() throws Exception {
        model.answer("billing-legacy refuses connections: its process is not running")
                .answer("restart requested through the runbook");
        try (KafkaProbe kafka = new KafkaProbe(bootstrap, Topics.SYSTEM_HEALTH, Topics.KNOWLEDGE_FACTS)) {
            JsonPath report = given().header(Headers.TENANT, tenant)
                    .contentType(ContentType.JSON)
                    .body("{\"issue\":\"invoices are not generated\"}")
                    .when()
                    .post("/system-health/checks")
                    .then()
                    .statusCode(200)
                    .body("components", hasSize(2))
                    .body("components.find { it.component == 'agent-service' }.status", equalTo("UP"))
                    .body("components.find { it.component == 'billing-legacy' }.status", equalTo("DOWN"))
                    .body("diagnoses", hasSize(1))
                    .body("diagnoses[0].component", equalTo("billing-legacy"))
                    .body(
                            "diagnoses[0].diagnosis",
                            equalTo("billing-legacy refuses connections: its process is not running"))
                    .body("diagnoses[0].repairStatus", equalTo("COMPLETED"))
                    .body("diagnoses[0].repair", equalTo("restart requested through the runbook"))
                    .body("retiredAgentIds", hasSize(3))
                    .extract()
                    .jsonPath();

            assertThat(report.getString("components.find { it.component == 'billing-legacy' }.detail"))
                    .startsWith("unreachable");
            assertThat(report.getDouble(
                            "components.find { it.component == 'agent-service' }.metrics.jvm_heap_used_bytes"))
                    .as("heap read from the real /q/metrics")
                    .isPositive();
            assertThat(report.getString("report"))
                    .contains("1 of 2 components healthy")
                    .contains("invoices are not generated");

            // the tree: parent → diagnostic → repair (with only the repair tools), all retired
            String parent = report.getString("agentId");
            JsonPath tree = given().header(Headers.TENANT, tenant)
                    .when()
                    .get("/agents/" + parent)
                    .then()
                    .statusCode(200)
                    .body("type", equalTo("system_health"))
                    .body("status", equalTo("RETIRED"))
                    .extract()
                    .jsonPath();
            assertThat(tree.getString("children[0].type")).isEqualTo("diagnostic");
            assertThat(tree.getString("children[0].status")).isEqualTo("RETIRED");
            assertThat(tree.getString("children[0].children[0].type")).isEqualTo("repair");
            assertThat(tree.getString("children[0].children[0].status")).isEqualTo("RETIRED");
            given().header(Headers.TENANT, "other-" + tenant)
                    .when()
                    .get("/agents/" + parent)
                    .then()
                    .statusCode(404);
            assertThat(model.requests()).hasSize(2);
            assertThat(model.requests().get(0).messages().get(1).content())
                    .contains("Component billing-legacy")
                    .contains("invoices are not generated");
            assertThat(model.requests().get(1).messages().get(1).content())
                    .startsWith("Repair component billing-legacy");

            List<KafkaProbe.Keyed> health = kafka.await(
                    k -> k.topic().equals(Topics.SYSTEM_HEALTH)
                            && tenant.equals(k.event().path("tenant").asText()),
                    3,
                    Duration.ofSeconds(20));
            assertThat(health)
                    .extracting(k -> k.event().path("type").asText())
                    .containsExactlyInAnyOrder(
                            "dev.devloop.system.health.status",
                            "dev.devloop.system.health.status",
                            "dev.devloop.system.health.report");
            assertThat(health)
                    .filteredOn(k -> "billing-legacy".equals(k.key()))
                    .singleElement()
                    .satisfies(k -> assertThat(
                                    k.event().path("data").path("status").asText())
                            .isEqualTo("DOWN"));
            List<KafkaProbe.Keyed> facts = kafka.await(
                    k -> k.topic().equals(Topics.KNOWLEDGE_FACTS)
                            && tenant.equals(k.event().path("tenant").asText())
                            && "billing-legacy".equals(k.key()),
                    5,
                    Duration.ofSeconds(20));
            assertThat(facts)
                    .extracting(k -> k.event().path("data").path("attribute").asText())
                    .contains("health_status", "health_detail", "diagnosis", "repair");
        }
    }

    @Test
    void anUnknownComponentIsAProblemNamingTheField() {
        given().header(Headers.TENANT, tenant)
                .contentType(ContentType.JSON)
                .body("{\"components\":[\"nope\"]}")
                .when()
                .post("/system-health/checks")
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("field", equalTo("components"));
        given().contentType(ContentType.JSON)
                .body("{}")
                .when()
                .post("/system-health/checks")
                .then()
                .statusCode(400)
                .contentType("application/problem+json");
    }
}
