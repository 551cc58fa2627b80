package dev.devloop.agent;

import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasItems;

import dev.devloop.contracts.identity.testing.TenantHeaderCredentials;
import io.quarkus.test.junit.QuarkusIntegrationTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The packaged jar (prod profile) against the real servers: ready, a parent/child tree spawned and retired, and an
 * unsigned call refused.
 */
@QuarkusIntegrationTest
class PackagedAgentServiceIT {
    /** Integration tests get no per-test callbacks: each call is signed for agent-service here. */
    private static final TenantHeaderCredentials CREDENTIALS = new TenantHeaderCredentials("agent-service");

    private static RequestSpecification signed() {
        return RestAssured.given().filter(CREDENTIALS);
    }

    @Test
    void thePackagedServiceIsReadyAndManagesATree() {
        signed().when()
                .get("/q/health/ready")
                .then()
                .statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.status", everyItem(equalTo("UP")));
        String tenant = "it-" + UUID.randomUUID().toString().substring(0, 8);
        String parent = signed().header("X-Devloop-Tenant", tenant)
                .contentType(ContentType.JSON)
                .body("{\"type\":\"system_health\"}")
                .when()
                .post("/agents")
                .then()
                .statusCode(201)
                .extract()
                .path("id");
        String child = signed().header("X-Devloop-Tenant", tenant)
                .contentType(ContentType.JSON)
                .body("{\"type\":\"diagnostic\",\"parentId\":\"" + parent + "\"}")
                .when()
                .post("/agents")
                .then()
                .statusCode(201)
                .extract()
                .path("id");
        signed().header("X-Devloop-Tenant", tenant)
                .when()
                .get("/agents/" + parent)
                .then()
                .statusCode(200)
                .body("children.id", hasItems(child));
        signed().header("X-Devloop-Tenant", tenant)
                .when()
                .delete("/agents/" + parent)
                .then()
                .statusCode(200)
                .body("status", everyItem(equalTo("RETIRED")));
        signed().header("X-Devloop-Tenant", "other-" + tenant)
                .when()
                .get("/agents/" + parent)
                .then()
                .statusCode(404);
        signed().contentType(ContentType.JSON)
                .body("{\"type\":\"planner\"}")
                .when()
                .post("/agents")
                .then()
                .statusCode(400)
                .contentType("application/problem+json");
        // the packaged service (prod profile, its key created in the shared key dir) refuses an unsigned call
        signed().header(TenantHeaderCredentials.ANONYMOUS, "1")
                .header("X-Devloop-Tenant", tenant)
                .when()
                .get("/agents/" + parent)
                .then()
                .statusCode(401)
                .contentType("application/problem+json");
    }
}
