package dev.devloop.gateway.adapters.in.rest;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.http.HttpHeader;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.devloop.contracts.Headers;
import dev.devloop.contracts.identity.testing.TestCredentials;
import dev.devloop.gateway.support.AgentServiceStub;
import dev.devloop.gateway.support.FlakyCell;
import dev.devloop.gateway.support.RealServices;
import dev.devloop.gateway.support.SiblingTokens;
import dev.devloop.gateway.support.Tokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.jose4j.jwt.JwtClaims;
import org.junit.jupiter.api.Test;

/**
 * Issue #17: every hop to a sibling carries a token the gateway signed for that sibling, acting for the caller's
 * verified tenant, subject and roles; the caller's public JWT never leaves the gateway. The {@code observed} cell's
 * WireMock records each kind of hop (the event-loop read, the blocking write, the streamed relay, the agent-service
 * REST client, a batch's sub-request); the real packaged siblings then accept the gateway's tokens.
 */
@QuarkusTest
@QuarkusTestResource(RealServices.class)
@QuarkusTestResource(FlakyCell.class)
@QuarkusTestResource(AgentServiceStub.class)
class SiblingIdentityTest {
    private static final String TENANT = FlakyCell.OBSERVED_TENANTS.get(0);
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private static RequestSpecification as(String token) {
        return given().header("Authorization", "Bearer " + token);
    }

    private static void answer(String method, String path, String subject, int status, String type, String body) {
        FlakyCell.observed()
                .stubFor(WireMock.request(method, urlPathEqualTo(path))
                        .withHeader(Headers.SUBJECT, WireMock.equalTo(subject))
                        .willReturn(aResponse()
                                .withStatus(status)
                                .withHeader("Content-Type", type)
                                .withBody(body)));
    }

    private static LoggedRequest onlyHop(String path, String subject) {
        List<LoggedRequest> hops = FlakyCell.observed()
                .findAll(anyRequestedFor(urlPathEqualTo(path)).withHeader(Headers.SUBJECT, WireMock.equalTo(subject)));
        assertThat(hops).as("hops to %s for %s", path, subject).hasSize(1);
        return hops.get(0);
    }

    /** The hop carries one token, signed by the gateway for {@code sibling}, acting for the caller; never its JWT. */
    private static void assertSignedFor(
            LoggedRequest hop, String sibling, String subject, String publicToken, String... roles) throws Exception {
        for (HttpHeader header : hop.getHeaders().all()) {
            assertThat(header.values())
                    .as("header %s of the hop", header.key())
                    .noneMatch(value -> value.contains(publicToken));
        }
        assertThat(hop.getHeaders().getHeader("Authorization").values()).hasSize(1);
        JwtClaims claims = SiblingTokens.verified(hop.getHeader("Authorization"), sibling);
        assertThat(claims.getAudience()).containsExactly(sibling);
        assertThat(claims.getStringClaimValue("azp")).isEqualTo("api-gateway");
        assertThat(claims.getStringClaimValue("tenant")).isEqualTo(TENANT);
        assertThat(claims.getSubject()).isEqualTo(subject);
        assertThat(claims.getStringListClaimValue("groups")).containsExactlyInAnyOrder(roles);
        assertThat(hop.getHeader(Headers.TENANT)).isEqualTo(TENANT);
    }

    @Test
    void anEventLoopReadCarriesATokenForTheSiblingNotTheCallersJwt() throws Exception {
        String subject = "viewer-" + UUID.randomUUID();
        String jwt = Tokens.validFor(TENANT, subject, "viewer");
        answer("GET", "/agent-types", subject, 200, "application/json", "[{\"type\":\"assistant\"}]");

        as(jwt).header(Headers.TENANT, "intruder")
                .when()
                .get("/api/v1/agent-types")
                .then()
                .statusCode(200)
                .body("items[0].type", equalTo("assistant"));

        assertSignedFor(onlyHop("/agent-types", subject), "agent-service", subject, jwt, "viewer");
    }

    @Test
    void aBlockingWriteCarriesATokenForProviderGatewayWithTheCallersRoles() throws Exception {
        String subject = "op-" + UUID.randomUUID();
        String jwt = Tokens.validFor(TENANT, subject, "operator", "viewer");
        answer("POST", "/v1/generate", subject, 200, "application/json", "{\"text\":\"ok\"}");

        as(jwt).contentType(ContentType.JSON)
                .body("{\"prompt\":\"hello\"}")
                .when()
                .post("/api/v1/generate")
                .then()
                .statusCode(200)
                .body("text", equalTo("ok"));

        assertSignedFor(onlyHop("/v1/generate", subject), "provider-gateway", subject, jwt, "operator", "viewer");
    }

    @Test
    void aStreamedRelayCarriesATokenForProviderGateway() throws Exception {
        String subject = "op-" + UUID.randomUUID();
        String jwt = Tokens.validFor(TENANT, subject, "operator");
        answer(
                "POST",
                "/v1/chat/completions",
                subject,
                200,
                "text/event-stream",
                "data: {\"choices\":[{\"delta\":{\"content\":\"hi\"}}]}\n\ndata: [DONE]\n\n");

        as(jwt).contentType(ContentType.JSON)
                .accept("text/event-stream")
                .body("{\"model\":\"m\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}")
                .when()
                .post("/api/v1/chat/completions")
                .then()
                .statusCode(200)
                .body(containsString("[DONE]"));

        assertSignedFor(onlyHop("/v1/chat/completions", subject), "provider-gateway", subject, jwt, "operator");
    }

    @Test
    void theAgentServiceClientSignsEveryCallForAgentService() throws Exception {
        String subject = "op-" + UUID.randomUUID();
        String jwt = Tokens.validFor(TENANT, subject, "operator");
        String runId = "run_" + UUID.randomUUID().toString().replace("-", "");
        answer("POST", "/agents/assistant/runs", subject, 202, "application/json", "{\"id\":\"" + runId + "\"}");
        answer("GET", "/runs/" + runId, subject, 200, "application/json", "{\"id\":\"" + runId + "\"}");

        as(jwt).contentType(ContentType.JSON)
                .body("{\"input\":\"check the disk\"}")
                .when()
                .post("/api/v1/agents/assistant/runs")
                .then()
                .statusCode(202);
        as(jwt).when().get("/api/v1/runs/" + runId).then().statusCode(200).body("id", equalTo(runId));

        assertSignedFor(onlyHop("/agents/assistant/runs", subject), "agent-service", subject, jwt, "operator");
        assertSignedFor(onlyHop("/runs/" + runId, subject), "agent-service", subject, jwt, "operator");
    }

    @Test
    void aBatchSubRequestReachesTheSiblingWithTheGatewaysTokenOnly() throws Exception {
        String subject = "viewer-" + UUID.randomUUID();
        String jwt = Tokens.validFor(TENANT, subject, "viewer");
        answer("GET", "/agent-types", subject, 200, "application/json", "[{\"type\":\"planner\"}]");

        as(jwt).contentType(ContentType.JSON)
                .body("{\"requests\":[{\"id\":\"types\",\"path\":\"/api/v1/agent-types\"}]}")
                .when()
                .post("/api/v1/batch")
                .then()
                .statusCode(200)
                .body("responses[0].status", equalTo(200))
                .body("responses[0].body.items[0].type", equalTo("planner"));

        assertSignedFor(onlyHop("/agent-types", subject), "agent-service", subject, jwt, "viewer");
    }

    @Test
    void theRealToolServiceAcceptsTheGatewaysTokenAndRefusesTheCallersJwt() throws Exception {
        String tenant = Tokens.newTenant();
        String jwt = Tokens.valid(tenant, "viewer");
        as(jwt).queryParam("agentType", "assistant")
                .queryParam("fields", "name")
                .queryParam("limit", 100)
                .when()
                .get("/api/v1/tools")
                .then()
                .statusCode(200)
                .body("items.name", hasItem("store_fact"));

        String direct = RealServices.url("tool-service") + "/tools?agentType=assistant";
        assumeTrue(
                status(direct, tenant, null) == 401,
                "the packaged tool-service does not verify inbound tokens (rebuild it)");
        assertThat(status(direct, tenant, "Bearer " + jwt))
                .as("the caller's public JWT is no credential inside the cell")
                .isEqualTo(401);
        assertThat(status(direct, tenant, TestCredentials.bearer("knowledge-service", tenant)))
                .as("a token for another sibling is refused")
                .isEqualTo(403);
        assertThat(status(direct, tenant, TestCredentials.bearer("tool-service", tenant)))
                .as("a cell member's token for tool-service is accepted, as the gateway's was")
                .isEqualTo(200);
    }

    private static int status(String url, String tenant, String authorization) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url))
                .timeout(Duration.ofSeconds(10))
                .header(Headers.TENANT, tenant)
                .GET();
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.discarding())
                .statusCode();
    }
}
