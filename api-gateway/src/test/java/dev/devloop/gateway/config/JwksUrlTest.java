package dev.devloop.gateway.config;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.devloop.gateway.support.AgentServiceStub;
import dev.devloop.gateway.support.FlakyCell;
import dev.devloop.gateway.support.JwksServer;
import dev.devloop.gateway.support.RealServices;
import dev.devloop.gateway.support.ShortTimeoutsProfile;
import dev.devloop.gateway.support.Tokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.Test;

/**
 * Keys from a JWKS URL (a local HTTP server standing in for an OIDC provider): chosen by kid. Shares
 * {@link ShortTimeoutsProfile} (which sets the JWKS URL) so it costs no Quarkus start of its own.
 */
@QuarkusTest
@TestProfile(ShortTimeoutsProfile.class)
@QuarkusTestResource(RealServices.class)
@QuarkusTestResource(FlakyCell.class)
@QuarkusTestResource(AgentServiceStub.class)
class JwksUrlTest {

    @Test
    void aTokenSignedWithTheJwksKeyIsAcceptedAndOthersAreNot() {
        String tenant = Tokens.newTenant();
        String good = Tokens.claims(tenant, "jwks-user", "viewer")
                .jws()
                .keyId(JwksServer.KID)
                .sign(Tokens.PRIVATE_KEY);
        given().auth().oauth2(good).when().get("/api/v1/webhooks").then().statusCode(200);
        assertThat(JwksServer.FETCHES.get())
                .as("the keys came from the JWKS URL")
                .isPositive();

        String wrongKey = Tokens.claims(tenant, "mallory", "viewer")
                .jws()
                .keyId(JwksServer.KID)
                .sign(Tokens.OTHER_PRIVATE_KEY);
        given().auth().oauth2(wrongKey).when().get("/api/v1/webhooks").then().statusCode(401);
        given().auth()
                .oauth2(Tokens.algNone(tenant, "viewer"))
                .when()
                .get("/api/v1/webhooks")
                .then()
                .statusCode(401);
        given().auth()
                .oauth2(Tokens.hs256WithPublicKey(tenant, "viewer"))
                .when()
                .get("/api/v1/webhooks")
                .then()
                .statusCode(401);
    }
}
