package dev.devloop.agent;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasItems;

import io.quarkus.test.junit.QuarkusIntegrationTest;
import io.restassured.http.ContentType;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The packaged jar (prod profile) against the real servers: ready, and a parent/child tree spawned and retired. */
@QuarkusIntegrationTest
class PackagedAgentServiceIT {

    @Test
    void thePackagedServiceIsReadyAndManagesATree() {
        given().when()
                .get("/q/health/ready")
                .then()
                .statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.status", everyItem(equalTo("UP")));
        String tenant = "it-" + UUID.randomUUID().toString().substring(0, 8);
        String parent = given().header("X-Devloop-Tenant", tenant)
                .contentType(ContentType.JSON)
                .body("{\"type\":\"system_health\"}")
                .when()
                .post("/agents")
                .then()
                .statusCode(201)
                .extract()
                .path("id");
        String child = given().header("X-Devloop-Tenant", tenant)
                .contentType(ContentType.JSON)
                .body("{\"type\":\"diagnostic\",\"parentId\":\"" + parent + "\"}")
                .when()
                .post("/agents")
                .then()
                .statusCode(201)
                .extract()
                .path("id");
        given().header("X-Devloop-Tenant", tenant)
                .when()
                .get("/agents/" + parent)
                .then()
                .statusCode(200)
                .body("children.id", hasItems(child));
        given().header("X-Devloop-Tenant", tenant)
                .when()
                .delete("/agents/" + parent)
                .then()
                .statusCode(200)
                .body("status", everyItem(equalTo("RETIRED")));
        given().header("X-Devloop-Tenant", "other-" + tenant)
                .when()
                .get("/agents/" + parent)
                .then()
                .statusCode(404);
        given().contentType(ContentType.JSON)
                .body("{\"type\":\"planner\"}")
                .when()
                .post("/agents")
                .then()
                .statusCode(400)
                .contentType("application/problem+json");
    }
}
