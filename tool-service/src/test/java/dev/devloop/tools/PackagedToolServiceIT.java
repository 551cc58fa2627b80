package dev.devloop.tools;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;

import io.quarkus.test.junit.QuarkusIntegrationTest;
import io.restassured.http.ContentType;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The packaged jar (prod profile) against the real servers: the shipped registry, permissions and validation. */
@QuarkusIntegrationTest
class PackagedToolServiceIT {

    @Test
    void thePackagedServiceServesThePermissionedRegistry() {
        given().when().get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));
        String tenant = "it-" + UUID.randomUUID().toString().substring(0, 8);
        given().header("X-Devloop-Tenant", tenant)
                .when()
                .get("/tools?agentType=diagnostic")
                .then()
                .statusCode(200)
                .body("name", hasItem("check_connectivity"))
                .body("name", not(hasItem("write_file")));
        given().header("X-Devloop-Tenant", tenant)
                .contentType(ContentType.JSON)
                .body(
                        "{\"arguments\":{\"path\":\"notes.txt\",\"content\":\"x\"},\"agentType\":\"diagnostic\",\"agentId\":\"agt-it\",\"runId\":\"run-it\",\"idempotencyKey\":\"it-1\"}")
                .when()
                .post("/tools/write_file/invocations")
                .then()
                .statusCode(403)
                .contentType("application/problem+json");
        given().header("X-Devloop-Tenant", tenant)
                .contentType(ContentType.JSON)
                .body(
                        "{\"arguments\":{\"target\":42},\"agentType\":\"diagnostic\",\"agentId\":\"agt-it\",\"runId\":\"run-it\",\"idempotencyKey\":\"it-2\"}")
                .when()
                .post("/tools/check_connectivity/invocations")
                .then()
                .statusCode(400)
                .contentType("application/problem+json");
    }
}
