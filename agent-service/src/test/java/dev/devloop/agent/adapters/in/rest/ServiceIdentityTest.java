package dev.devloop.agent.adapters.in.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;

import dev.devloop.contracts.Headers;
import dev.devloop.contracts.identity.testing.ServiceIdentityContract;
import dev.devloop.contracts.identity.testing.TestCredentials;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Every call into agent-service outside {@code /q/} carries a token a cell member signed for agent-service; the
 * tenant comes from the token, never from the {@code X-Devloop-Tenant} header (real MongoDB, scripted model).
 */
@QuarkusTest
class ServiceIdentityTest extends ServiceIdentityContract {
    ServiceIdentityTest() {
        super("agent-service", "/agents");
    }

    @Override
    protected int port() {
        return RestAssured.port;
    }

    @Inject
    TestPorts.Model model;

    @Inject
    TestPorts.Tools tools;

    @BeforeEach
    void reset() {
        model.reset();
        tools.reset();
    }

    private static String tenant() {
        return "t-" + UUID.randomUUID();
    }

    @Test
    void aForgedTenantHeaderChangesNothing() {
        String owner = tenant();
        String intruder = tenant();
        model.answer("done");
        JsonPath run = given().header("Authorization", TestCredentials.bearer("agent-service", owner))
                .contentType(ContentType.JSON)
                .body("{\"input\":\"owner's task\"}")
                .when()
                .post("/agents/assistant/runs?wait=true")
                .then()
                .statusCode(200)
                .body("status", equalTo("COMPLETED"))
                .extract()
                .jsonPath();
        String runId = run.getString("id");
        String agentId = run.getString("agentId");

        // the intruder's token, with the owner's tenant in the header: the header is replaced by the token's tenant
        String intruderToken = TestCredentials.bearer("agent-service", intruder);
        given().header("Authorization", intruderToken)
                .header(Headers.TENANT, owner)
                .when()
                .get("/runs/" + runId)
                .then()
                .statusCode(404);
        given().header("Authorization", intruderToken)
                .header(Headers.TENANT, owner)
                .when()
                .get("/agents/" + agentId)
                .then()
                .statusCode(404);
        given().header("Authorization", intruderToken)
                .header(Headers.TENANT, owner)
                .when()
                .get("/agents")
                .then()
                .statusCode(200)
                .body("id", not(hasItem(agentId)));
        given().header("Authorization", intruderToken)
                .header(Headers.TENANT, owner)
                .when()
                .delete("/agents/" + agentId)
                .then()
                .statusCode(404);

        // the owner's token sees it, whatever tenant header comes with it
        given().header("Authorization", TestCredentials.bearer("agent-service", owner))
                .header(Headers.TENANT, intruder)
                .when()
                .get("/runs/" + runId)
                .then()
                .statusCode(200)
                .body("result", equalTo("done"));
        given().header("Authorization", TestCredentials.bearer("agent-service", owner))
                .when()
                .get("/agents")
                .then()
                .statusCode(200)
                .body("id", hasItem(agentId));
    }
}
