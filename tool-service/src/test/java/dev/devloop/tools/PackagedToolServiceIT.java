package dev.devloop.tools;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;

import dev.devloop.contracts.identity.testing.TenantHeaderCredentials;
import dev.devloop.contracts.identity.testing.TestCredentials;
import io.quarkus.test.junit.QuarkusIntegrationTest;
import io.restassured.http.ContentType;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The packaged jar (prod profile) against the real servers: credentials required, the shipped registry, permissions
 * and validation. Calls carry a token for tool-service signed by the test cell member (set here explicitly: the
 * automatic RestAssured credential is for @QuarkusTest).
 */
@QuarkusIntegrationTest
class PackagedToolServiceIT {

    @Test
    void thePackagedServiceServesThePermissionedRegistry() {
        given().when().get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));
        String tenant = "it-" + UUID.randomUUID().toString().substring(0, 8);
        String token = TestCredentials.bearer("tool-service", tenant);
        given().header(TenantHeaderCredentials.ANONYMOUS, "1")
                .header("X-Devloop-Tenant", tenant)
                .when()
                .get("/tools?agentType=diagnostic")
                .then()
                .statusCode(401)
                .contentType("application/problem+json");
        given().header("Authorization", token)
                .when()
                .get("/tools?agentType=diagnostic")
                .then()
                .statusCode(200)
                .body("name", hasItem("check_connectivity"))
                .body("name", not(hasItem("write_file")));
        given().header("Authorization", token)
                .contentType(ContentType.JSON)
                .body(
                        "{\"arguments\":{\"path\":\"notes.txt\",\"content\":\"x\"},\"agentType\":\"diagnostic\",\"agentId\":\"agt-it\",\"runId\":\"run-it\",\"idempotencyKey\":\"it-1\"}")
                .when()
                .post("/tools/write_file/invocations")
                .then()
                .statusCode(403)
                .contentType("application/problem+json");
        given().header("Authorization", token)
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
