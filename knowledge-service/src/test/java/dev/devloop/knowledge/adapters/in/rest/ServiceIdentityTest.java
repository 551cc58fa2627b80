package dev.devloop.knowledge.adapters.in.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

import dev.devloop.contracts.Headers;
import dev.devloop.contracts.identity.testing.ServiceIdentityContract;
import dev.devloop.contracts.identity.testing.TestCredentials;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Every call into knowledge-service carries a token signed by a cell member for it; the tenant comes from it. */
@QuarkusTest
class ServiceIdentityTest extends ServiceIdentityContract {
    ServiceIdentityTest() {
        super("knowledge-service", "/facts/svc/owner");
    }

    @Override
    protected int port() {
        return RestAssured.port;
    }

    private static final String SERVICE = "knowledge-service";

    private static String tenant() {
        return "t-" + UUID.randomUUID();
    }

    private static RequestSpecification withToken(String authorization) {
        return given().header("Authorization", authorization).contentType(ContentType.JSON);
    }

    @Test
    void aTokenActingForAMalformedTenantIsUnauthenticated() {
        withToken(TestCredentials.bearer(SERVICE, "not a tenant"))
                .get("/entities")
                .then()
                .statusCode(401)
                .contentType("application/problem+json")
                .body("detail", equalTo("the token's tenant must match [A-Za-z0-9][A-Za-z0-9_.-]{0,63}"));
    }

    @Test
    void aForgedTenantHeaderChangesNothing() {
        String owner = tenant();
        String intruder = tenant();
        withToken(TestCredentials.bearer(SERVICE, owner))
                .body("{\"value\":\"team-core\"}")
                .put("/facts/svc-a/owner")
                .then()
                .statusCode(200)
                .body("tenant", equalTo(owner));
        withToken(TestCredentials.bearer(SERVICE, owner))
                .body("{\"id\":\"svc-a\",\"type\":\"service\",\"properties\":{\"secret\":\"only-the-owner\"}}")
                .post("/entities")
                .then()
                .statusCode(200)
                .body("tenant", equalTo(owner));

        // the intruder's token with the owner's tenant in the header: the header is replaced by the token's tenant
        withToken(TestCredentials.bearer(SERVICE, intruder))
                .header(Headers.TENANT, owner)
                .get("/facts/svc-a/owner")
                .then()
                .statusCode(404);
        withToken(TestCredentials.bearer(SERVICE, intruder))
                .header(Headers.TENANT, owner)
                .get("/facts/svc-a")
                .then()
                .statusCode(200)
                .body("$", hasSize(0));
        withToken(TestCredentials.bearer(SERVICE, intruder))
                .header(Headers.TENANT, owner)
                .get("/entities/svc-a")
                .then()
                .statusCode(404);
        // what the intruder writes with the owner's header lands in the intruder's tenant, not the owner's
        withToken(TestCredentials.bearer(SERVICE, intruder))
                .header(Headers.TENANT, owner)
                .body("{\"value\":\"team-intruder\"}")
                .put("/facts/svc-a/owner")
                .then()
                .statusCode(200)
                .body("tenant", equalTo(intruder));

        withToken(TestCredentials.bearer(SERVICE, owner))
                .get("/facts/svc-a/owner")
                .then()
                .statusCode(200)
                .body("value", equalTo("team-core"));
        withToken(TestCredentials.bearer(SERVICE, owner))
                .get("/entities/svc-a")
                .then()
                .statusCode(200)
                .body("properties.secret", equalTo("only-the-owner"));
    }

    @Test
    void aTokenWithoutATenantIsStillA400NamingTheTenant() {
        withToken(TestCredentials.bearer(SERVICE, null))
                .header(Headers.TENANT, tenant())
                .get("/facts/svc-a/owner")
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("field", equalTo(Headers.TENANT));
    }
}
