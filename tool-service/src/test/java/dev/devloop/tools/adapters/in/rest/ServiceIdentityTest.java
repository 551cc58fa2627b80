package dev.devloop.tools.adapters.in.rest;

import static dev.devloop.tools.support.Fixtures.tenant;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;

import dev.devloop.contracts.Headers;
import dev.devloop.contracts.identity.testing.ServiceIdentityContract;
import dev.devloop.contracts.identity.testing.TestCredentials;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;

/** Every call into tool-service carries a token signed by a cell member for tool-service; the tenant comes from it. */
@QuarkusTest
class ServiceIdentityTest extends ServiceIdentityContract {
    ServiceIdentityTest() {
        super("tool-service", "/tools?agentType=assistant");
    }

    @Override
    protected int port() {
        return RestAssured.port;
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
}
