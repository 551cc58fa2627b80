package dev.devloop.gateway.adapters.in.rest;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;

import dev.devloop.contracts.Topics;
import dev.devloop.contracts.events.CloudEventCodec;
import dev.devloop.contracts.events.EventGate;
import dev.devloop.contracts.events.EventSignatures;
import dev.devloop.contracts.events.InvalidEventException;
import dev.devloop.contracts.events.testing.TestEvents;
import dev.devloop.gateway.support.AgentServiceStub;
import dev.devloop.gateway.support.Tokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code POST /api/v1/event-grants}: producer grants for a tenant's own Kafka producers, checked by the real gate. */
@QuarkusTest
@QuarkusTestResource(AgentServiceStub.class)
class EventGrantsTest {
    private static final String TASK = "dev.devloop.agent.task.requested";

    @Inject
    EventGate gate;

    private final String tenant = Tokens.newTenant();

    @Test
    void onlyAnAdminGetsAGrant() {
        for (String role : List.of("viewer", "operator")) {
            given().auth()
                    .oauth2(Tokens.valid(tenant, role))
                    .contentType(ContentType.JSON)
                    .body(Map.of())
                    .when()
                    .post("/api/v1/event-grants")
                    .then()
                    .statusCode(403);
        }
        given().contentType(ContentType.JSON)
                .body(Map.of())
                .when()
                .post("/api/v1/event-grants")
                .then()
                .statusCode(401);
    }

    @Test
    void anAdminsGrantLetsItsTenantsProducerSendTasksForThatTenantOnly() {
        Instant before = Instant.now();
        ExtractableResponse<Response> answer = given().auth()
                .oauth2(Tokens.validFor(tenant, "ops-admin", "admin"))
                .contentType(ContentType.JSON)
                .body(Map.of("topic", Topics.AGENT_TASKS, "ttlSeconds", 3600))
                .when()
                .post("/api/v1/event-grants")
                .then()
                .statusCode(201)
                .header("RateLimit-Limit", notNullValue())
                .body("header", equalTo(EventSignatures.GRANT_HEADER))
                .body("topic", equalTo(Topics.AGENT_TASKS))
                .body("tenant", equalTo(tenant))
                .extract();
        String grant = answer.path("grant");
        Instant expiresAt = Instant.parse(answer.path("expiresAt"));
        assertThat(expiresAt).isBetween(before.plusSeconds(3599), Instant.now().plusSeconds(3601));

        String ownTask = TestEvents.value("/acme/ci", TASK, tenant, Map.of("input", "triage"));
        EventGate.Accepted accepted =
                gate.accept(Topics.AGENT_TASKS, ownTask, null, grant, CloudEventCodec.Limits.DEFAULT);
        assertThat(accepted.event().tenant()).isEqualTo(tenant);
        assertThat(accepted.producer()).isEqualTo("grant:ops-admin");

        String otherTenantsTask = TestEvents.value("/acme/ci", TASK, Tokens.newTenant(), Map.of("input", "x"));
        assertThatThrownBy(() ->
                        gate.accept(Topics.AGENT_TASKS, otherTenantsTask, null, grant, CloudEventCodec.Limits.DEFAULT))
                .isInstanceOfSatisfying(InvalidEventException.class, e -> assertThat(e.kind())
                        .isEqualTo(InvalidEventException.Kind.NOT_ALLOWED));
        String result = TestEvents.value("/acme/ci", "dev.devloop.agent.run.finished", tenant, Map.of());
        assertThatThrownBy(() -> gate.accept(Topics.AGENT_RESULTS, result, null, grant, CloudEventCodec.Limits.DEFAULT))
                .as("a grant covers its topic only")
                .isInstanceOfSatisfying(InvalidEventException.class, e -> assertThat(e.kind())
                        .isEqualTo(InvalidEventException.Kind.NOT_ALLOWED));
    }

    @Test
    void theDefaultsAreTheTasksTopicForThirtyDays() {
        Instant before = Instant.now();
        String expiresAt = given().auth()
                .oauth2(Tokens.valid(tenant, "admin"))
                .contentType(ContentType.JSON)
                .body(Map.of())
                .when()
                .post("/api/v1/event-grants")
                .then()
                .statusCode(201)
                .body("topic", equalTo(Topics.AGENT_TASKS))
                .extract()
                .path("expiresAt");
        assertThat(Instant.parse(expiresAt))
                .isBetween(
                        before.plus(Duration.ofDays(30)).minusSeconds(1),
                        Instant.now().plus(Duration.ofDays(30)));
    }

    @Test
    void aBadTopicOrLifetimeIsA400NamingTheField() {
        String admin = Tokens.valid(tenant, "admin");
        for (Object ttl : List.of(59, 7_776_001, -1, "3600", 1.5, 99_999_999_999_999_999_999.0)) {
            given().auth()
                    .oauth2(admin)
                    .contentType(ContentType.JSON)
                    .body(Map.of("ttlSeconds", ttl))
                    .when()
                    .post("/api/v1/event-grants")
                    .then()
                    .statusCode(400)
                    .contentType("application/problem+json")
                    .body("field", equalTo("ttlSeconds"));
        }
        for (Object topic : List.of(Topics.AGENT_RESULTS, "devloop.agent.tasks.dlq", 7)) {
            given().auth()
                    .oauth2(admin)
                    .contentType(ContentType.JSON)
                    .body(Map.of("topic", topic))
                    .when()
                    .post("/api/v1/event-grants")
                    .then()
                    .statusCode(400)
                    .contentType("application/problem+json")
                    .body("field", equalTo("topic"));
        }
        given().auth()
                .oauth2(admin)
                .contentType(ContentType.JSON)
                .body(Map.of("tenant", "someone-else"))
                .when()
                .post("/api/v1/event-grants")
                .then()
                .statusCode(400)
                .body("field", equalTo("tenant"));
        given().auth()
                .oauth2(admin)
                .contentType(ContentType.JSON)
                .body("[1]")
                .when()
                .post("/api/v1/event-grants")
                .then()
                .statusCode(400)
                .body("field", equalTo("body"));
    }

    @Test
    void theRouteIsInTheGatewaysOpenApiDocument() {
        given().when()
                .get("/q/openapi?format=json")
                .then()
                .statusCode(200)
                .body("paths.'/api/v1/event-grants'.post.responses.'201'", notNullValue());
    }
}
