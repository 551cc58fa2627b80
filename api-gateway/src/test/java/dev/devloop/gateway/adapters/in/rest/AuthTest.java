package dev.devloop.gateway.adapters.in.rest;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.client.WireMock;
import dev.devloop.contracts.Headers;
import dev.devloop.gateway.support.AgentServiceStub;
import dev.devloop.gateway.support.Tokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/** Every way a request can fail authentication or authorisation, each answered with problem+json. */
@QuarkusTest
@QuarkusTestResource(AgentServiceStub.class)
class AuthTest {
    private static final String RUN_PATH = "/api/v1/runs/r-1";

    private static ValidatableResponse getRun(String token) {
        var request = given();
        if (token != null) {
            request = request.header("Authorization", "Bearer " + token);
        }
        return request.when().get(RUN_PATH).then().header(Headers.TRACE_ID, matchesPattern("[0-9a-f]{32}"));
    }

    private static void assertUnauthorized(ValidatableResponse response) {
        response.statusCode(401)
                .contentType("application/problem+json")
                .header("WWW-Authenticate", startsWith("Bearer"))
                .body("status", equalTo(401))
                .body("type", equalTo("https://devloop.dev/problems/unauthorized"));
    }

    private static void assertNothingForwarded(String tenant) {
        AgentServiceStub.server()
                .verify(0, anyRequestedFor(anyUrl()).withHeader(Headers.TENANT, WireMock.equalTo(tenant)));
    }

    @Test
    void aValidViewerTokenIsForwarded() {
        String tenant = Tokens.newTenant();
        AgentServiceStub.server()
                .stubFor(get(urlEqualTo("/runs/r-1"))
                        .withHeader(Headers.TENANT, WireMock.equalTo(tenant))
                        .willReturn(aResponse()
                                .withStatus(200)
                                .withHeader("Content-Type", "application/json")
                                .withBody("{\"id\":\"r-1\",\"status\":\"COMPLETED\"}")));
        getRun(Tokens.valid(tenant, "viewer")).statusCode(200).body("status", equalTo("COMPLETED"));
    }

    @Test
    void aVerifiedTokenIsRememberedButAnAlteredCopyIsCheckedInFull() {
        String tenant = Tokens.newTenant();
        AgentServiceStub.server()
                .stubFor(get(urlEqualTo("/runs/r-1"))
                        .withHeader(Headers.TENANT, WireMock.equalTo(tenant))
                        .willReturn(aResponse()
                                .withStatus(200)
                                .withHeader("Content-Type", "application/json")
                                .withBody("{\"id\":\"r-1\",\"status\":\"COMPLETED\"}")));
        String token = Tokens.valid(tenant, "viewer");
        double hitsBefore = jwtCacheHits();
        getRun(token).statusCode(200);
        getRun(token).statusCode(200);
        assertTrue(jwtCacheHits() >= hitsBefore + 1, "the second request reused the verification");

        // the cached token's signature on an upgraded payload: byte-different, so verified in full, and refused
        String[] parts = token.split("\\.");
        String payload = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8)
                .replace("\"viewer\"", "\"admin\"");
        assertTrue(payload.contains("\"admin\""));
        String altered = parts[0] + "."
                + Base64.getUrlEncoder().withoutPadding().encodeToString(payload.getBytes(StandardCharsets.UTF_8)) + "."
                + parts[2];
        assertUnauthorized(getRun(altered));
    }

    private static double jwtCacheHits() {
        String metrics = given().when()
                .get("/q/metrics")
                .then()
                .statusCode(200)
                .extract()
                .asString();
        return metrics.lines()
                .filter(l -> l.startsWith("devloop_gateway_jwt_cache_total{result=\"hit\"}"))
                .mapToDouble(l -> Double.parseDouble(l.split(" ")[1]))
                .findFirst()
                .orElse(0);
    }

    @Test
    void noTokenIs401() {
        assertUnauthorized(getRun(null));
    }

    @Test
    void garbageTokenIs401() {
        assertUnauthorized(getRun("not-a-jwt"));
    }

    @Test
    void wrongSignatureIs401() {
        String tenant = Tokens.newTenant();
        assertUnauthorized(getRun(Tokens.wrongSignature(tenant, "admin")));
        assertNothingForwarded(tenant);
    }

    @Test
    void expiredTokenIs401() {
        String tenant = Tokens.newTenant();
        Instant past = Instant.now().minusSeconds(3600);
        String token = Tokens.claims(tenant, "u1", "admin")
                .issuedAt(past)
                .expiresAt(past.plusSeconds(600))
                .sign(Tokens.PRIVATE_KEY);
        assertUnauthorized(getRun(token));
        assertNothingForwarded(tenant);
    }

    @Test
    void notYetValidTokenIs401() {
        String tenant = Tokens.newTenant();
        String token = Tokens.claims(tenant, "u1", "admin")
                .claim("nbf", Instant.now().plusSeconds(600).getEpochSecond())
                .expiresIn(1200)
                .sign(Tokens.PRIVATE_KEY);
        assertUnauthorized(getRun(token));
        assertNothingForwarded(tenant);
    }

    @Test
    void wrongIssuerIs401() {
        String tenant = Tokens.newTenant();
        String token = Tokens.claims(tenant, "u1", "admin")
                .issuer("https://evil.example/issuer")
                .sign(Tokens.PRIVATE_KEY);
        assertUnauthorized(getRun(token));
        assertNothingForwarded(tenant);
    }

    @Test
    void wrongAudienceIs401() {
        String tenant = Tokens.newTenant();
        String token =
                Tokens.claims(tenant, "u1", "admin").audience("someone-else").sign(Tokens.PRIVATE_KEY);
        assertUnauthorized(getRun(token));
        assertNothingForwarded(tenant);
    }

    @Test
    void algNoneIs401() {
        String tenant = Tokens.newTenant();
        assertUnauthorized(getRun(Tokens.algNone(tenant, "admin")));
        assertNothingForwarded(tenant);
    }

    @Test
    void hs256SignedWithThePublicKeyIs401() {
        String tenant = Tokens.newTenant();
        assertUnauthorized(getRun(Tokens.hs256WithPublicKey(tenant, "admin")));
        assertNothingForwarded(tenant);
    }

    @Test
    void tokenWithoutTenantIs403() {
        getRun(Tokens.valid(null, "admin"))
                .statusCode(403)
                .contentType("application/problem+json")
                .body("type", equalTo("https://devloop.dev/problems/forbidden"))
                .body("field", equalTo("tenant"));
    }

    @Test
    void tokenWithAMalformedTenantIs403() {
        getRun(Tokens.valid("bad tenant/../x", "admin"))
                .statusCode(403)
                .contentType("application/problem+json")
                .body("field", equalTo("tenant"));
    }

    @Test
    void tokenWithoutAnyRoleIs403() {
        String tenant = Tokens.newTenant();
        getRun(Tokens.valid(tenant, "guest"))
                .statusCode(403)
                .contentType("application/problem+json")
                .body("type", equalTo("https://devloop.dev/problems/forbidden"));
        assertNothingForwarded(tenant);
    }

    @Test
    void viewerMayNotStartRuns() {
        String tenant = Tokens.newTenant();
        given().header("Authorization", "Bearer " + Tokens.valid(tenant, "viewer"))
                .contentType("application/json")
                .body("{\"input\":\"hello\"}")
                .when()
                .post("/api/v1/agents/system_health/runs")
                .then()
                .statusCode(403)
                .contentType("application/problem+json")
                .body("status", equalTo(403));
        assertNothingForwarded(tenant);
    }

    @Test
    void startingARunWithoutATokenIs401() {
        assertUnauthorized(given().contentType("application/json")
                .body("{\"input\":\"hello\"}")
                .when()
                .post("/api/v1/agents/system_health/runs")
                .then());
    }
}
