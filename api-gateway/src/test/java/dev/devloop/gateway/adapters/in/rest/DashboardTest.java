package dev.devloop.gateway.adapters.in.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import dev.devloop.gateway.support.AgentServiceStub;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

/** The static dashboard at {@code /}: its page, script and styles are served with the security headers. */
@QuarkusTest
@QuarkusTestResource(AgentServiceStub.class)
class DashboardTest {

    @Test
    void thePageAndItsAssetsAreServed() {
        given().when()
                .get("/")
                .then()
                .statusCode(200)
                .contentType(startsWith("text/html"))
                .header("Content-Security-Policy", containsString("default-src 'self'"))
                .body(containsString("<title>Devloop dashboard</title>"), containsString("src=\"/dashboard.js\""));
        given().when()
                .get("/dashboard.js")
                .then()
                .statusCode(200)
                .body(containsString("/api/v1/events"), containsString("Last-Event-ID"));
        given().when()
                .get("/dashboard.css")
                .then()
                .statusCode(200)
                .header("X-Content-Type-Options", equalTo("nosniff"));
    }
}
