package dev.devloop.tools.adapters.in.rest;

import static dev.devloop.tools.support.Fixtures.tenant;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;

import dev.devloop.contracts.Headers;
import dev.devloop.contracts.identity.testing.TenantHeaderCredentials;
import dev.devloop.contracts.identity.testing.TestCredentials;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;

/** Every call into tool-service carries a token signed by a cell member for tool-service; the tenant comes from it. */
@QuarkusTest
class ServiceIdentityTest {
    @Test
    void aCallWithoutACredentialIsUnauthenticated() {
        given().header(TenantHeaderCredentials.ANONYMOUS, "1")
                .header(Headers.TENANT, tenant())
                .when()
                .get("/tools")
                .then()
                .statusCode(401)
                .contentType("application/problem+json")
                .header("WWW-Authenticate", equalTo("Bearer realm=\"devloop-cell\""))
                .body("status", equalTo(401));
    }

    @Test
    void aTokenForAnotherServiceIsForbidden() {
        given().header("Authorization", TestCredentials.bearer("knowledge-service", tenant()))
                .when()
                .get("/tools")
                .then()
                .statusCode(403)
                .contentType("application/problem+json")
                .body("detail", equalTo("the token was not issued for tool-service"));
    }

    @Test
    void aForgedTenantHeaderChangesNothing() {
        String owner = tenant();
        String intruder = tenant();
        given().header("Authorization", TestCredentials.bearer("tool-service", owner))
                .contentType(ContentType.JSON)
                .body("""
            {"id":"owners-note","description":"Only the owner's tenant has it.","kind":"native",
             "implementation":"log_activity","allowedAgentTypes":["assistant"],
             "parameters":{"type":"object","properties":{"message":{"type":"string"}},"required":["message"]}}""")
                .when()
                .post("/tools")
                .then()
                .statusCode(201);

        // the intruder's token, with the owner's tenant in the header: the header is ignored
        given().header("Authorization", TestCredentials.bearer("tool-service", intruder))
                .header(Headers.TENANT, owner)
                .queryParam("agentType", "assistant")
                .when()
                .get("/tools")
                .then()
                .statusCode(200)
                .body("name", not(hasItem("owners-note")));
        given().header("Authorization", TestCredentials.bearer("tool-service", owner))
                .queryParam("agentType", "assistant")
                .when()
                .get("/tools")
                .then()
                .statusCode(200)
                .body("name", hasItem("owners-note"));
    }

    @Test
    void healthAndMetricsNeedNoCredential() {
        given().header(TenantHeaderCredentials.ANONYMOUS, "1")
                .when()
                .get("/q/health/live")
                .then()
                .statusCode(200);
    }
}
