package dev.devloop.gateway.adapters.in.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

import dev.devloop.gateway.support.AgentServiceStub;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

/** Security headers on every answer (errors included) and CORS limited to the configured origins. */
@QuarkusTest
@QuarkusTestResource(AgentServiceStub.class)
class EdgeHeadersTest {

    @Test
    void securityHeadersAreOnErrorAnswersToo() {
        given().when()
                .get("/api/v1/runs/r-1")
                .then()
                .statusCode(401)
                .header("X-Content-Type-Options", equalTo("nosniff"))
                .header("X-Frame-Options", equalTo("DENY"))
                .header("Referrer-Policy", equalTo("no-referrer"))
                .header("Cache-Control", equalTo("no-store"))
                .header("Content-Security-Policy", containsString("frame-ancestors 'none'"));
    }

    @Test
    void aConfiguredOriginPassesThePreflight() {
        given().header("Origin", "https://app.example.test")
                .header("Access-Control-Request-Method", "POST")
                .header("Access-Control-Request-Headers", "Authorization,Content-Type,Idempotency-Key")
                .when()
                .options("/api/v1/agents/system_health/runs")
                .then()
                .statusCode(200)
                .header("Access-Control-Allow-Origin", equalTo("https://app.example.test"))
                .header("Access-Control-Allow-Methods", containsString("POST"));
    }

    @Test
    void anotherOriginIsNotAllowed() {
        given().header("Origin", "https://evil.example")
                .header("Access-Control-Request-Method", "POST")
                .when()
                .options("/api/v1/agents/system_health/runs")
                .then()
                .header("Access-Control-Allow-Origin", nullValue());
    }
}
