package dev.devloop.gateway;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.junit.QuarkusIntegrationTest;
import org.junit.jupiter.api.Test;

/** The packaged jar (prod profile): the dashboard is served, and every API call without a valid token is refused. */
@QuarkusIntegrationTest
class PackagedApiGatewayIT {

    @Test
    void thePackagedGatewayServesTheDashboardAndRefusesAnonymousCalls() {
        given().when().get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));
        given().when().get("/").then().statusCode(200).body(containsString("Devloop"));
        given().when()
                .get("/api/v1/runs/run_x")
                .then()
                .statusCode(401)
                .contentType("application/problem+json")
                .header("WWW-Authenticate", containsString("Bearer"));
        given().header("Authorization", "Bearer not-a-jwt")
                .when()
                .get("/api/v1/agents/agt_x")
                .then()
                .statusCode(401)
                .body("type", containsString("unauthorized"));
    }
}
