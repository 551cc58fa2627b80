package dev.devloop.provider.adapters.in.rest;

import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static dev.devloop.provider.adapters.in.rest.TestHttp.tenant;
import static dev.devloop.provider.adapters.in.rest.TestHttp.unique;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.http.HttpHeader;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.devloop.contracts.Headers;
import dev.devloop.contracts.identity.testing.ServiceIdentityContract;
import dev.devloop.contracts.identity.testing.TestCredentials;
import dev.devloop.provider.support.CommonStubs;
import dev.devloop.provider.support.OpenAiStub;
import dev.devloop.provider.support.OpenAiWireStubs;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Every call into provider-gateway outside {@code /q/} carries a cell token issued for provider-gateway; the tenant
 * comes from the token, and the token never travels on to an LLM provider. The shared refusals (401 problem+json with
 * the Bearer challenge, 403 for another service's token, health without a credential) are contracts'
 * {@link ServiceIdentityContract} on {@code /v1/usage}, a gateway route that answers in problem+json; this class adds
 * the OpenAI-shaped refusals of the OpenAI-compatible routes.
 */
@QuarkusTest
@WithTestResource(CommonStubs.class)
class ServiceIdentityTest extends ServiceIdentityContract {
    private static final String CHAT = "/v1/chat/completions";

    ServiceIdentityTest() {
        super("provider-gateway", "/v1/usage");
    }

    @Override
    protected int port() {
        return RestAssured.port;
    }

    /**
     * A request with no credential at all. Not {@code TenantHeaderCredentials.ANONYMOUS}: RestAssured's global filters
     * outlive the application restarts between test classes, and the credentials filter of a previous restart (another
     * class loader, so not recognised as present) would sign the request anyway.
     */
    private static RequestSpecification anonymous() {
        return given().noFilters();
    }

    private static String chatBody(String model) {
        return "{\"model\":\"" + model + "\",\"messages\":[{\"role\":\"user\",\"content\":\"hello\"}]}";
    }

    private static void stubText(String model) {
        OpenAiWireStubs.json(
                model,
                200,
                OpenAiWireStubs.completion(model, "{\"role\":\"assistant\",\"content\":\"Hi!\"}", "stop", 7, 2));
    }

    @Test
    void anOpenAiRouteWithoutACredentialAnswersInOpenAisShape() {
        anonymous()
                .header(Headers.TENANT, tenant())
                .contentType(ContentType.JSON)
                .body(chatBody("gpt-4o-mini"))
                .when()
                .post(CHAT)
                .then()
                .statusCode(401)
                .contentType(ContentType.JSON)
                .body("error.type", equalTo("authentication_error"))
                .body("error.code", equalTo("invalid_api_key"))
                .body("error.message", equalTo("an internal call needs an Authorization: Bearer token"));
    }

    @Test
    void aKeyThatIsNoCellTokenIsUnauthenticatedWithTheReason() {
        given().header("Authorization", "Bearer sk-not-a-devloop-token")
                .contentType(ContentType.JSON)
                .body(chatBody("gpt-4o-mini"))
                .when()
                .post(CHAT)
                .then()
                .statusCode(401)
                .body("error.type", equalTo("authentication_error"))
                .body("error.message", startsWith("the token does not verify"));
    }

    @Test
    void theGatewaysOwnRoutesRefuseInProblemJson() {
        for (String path : List.of("/safety/settings")) { // /v1/usage: the contract
            anonymous()
                    .header(Headers.TENANT, tenant())
                    .when()
                    .get(path)
                    .then()
                    .statusCode(401)
                    .contentType("application/problem+json")
                    .header("WWW-Authenticate", equalTo("Bearer realm=\"devloop-cell\""))
                    .body("status", equalTo(401))
                    .body("instance", equalTo(path));
        }
    }

    @Test
    void aTokenForAnotherServiceIsForbiddenInOpenAisShape() {
        String forKnowledge = TestCredentials.bearer("knowledge-service", tenant());
        given().header("Authorization", forKnowledge)
                .contentType(ContentType.JSON)
                .body(chatBody("gpt-4o-mini"))
                .when()
                .post(CHAT)
                .then()
                .statusCode(403)
                .contentType(ContentType.JSON)
                .body("error.type", equalTo("permission_error"))
                .body("error.message", equalTo("the token was not issued for provider-gateway"));
    }

    @Test
    void aForgedTenantHeaderChangesNothing() throws Exception {
        String owner = tenant();
        String intruder = tenant();
        String model = unique("m");
        stubText(model);
        given().header("Authorization", TestCredentials.bearer("provider-gateway", owner))
                .contentType(ContentType.JSON)
                .body(chatBody(model))
                .when()
                .post(CHAT)
                .then()
                .statusCode(200);
        // the ledger writes in batches: wait until the owner sees its call
        long deadline = System.currentTimeMillis() + 20_000;
        int ownerCalls = 0;
        while (ownerCalls == 0 && System.currentTimeMillis() < deadline) {
            ownerCalls = given().header("Authorization", TestCredentials.bearer("provider-gateway", owner))
                    .get("/v1/usage")
                    .then()
                    .statusCode(200)
                    .body("tenant", equalTo(owner))
                    .extract()
                    .path("totals.calls");
            if (ownerCalls == 0) {
                Thread.sleep(200);
            }
        }
        assertThat(ownerCalls).as("the owner's call is in its ledger").isEqualTo(1);

        // the intruder's token with the owner's tenant in the header: the header is replaced by the token's tenant
        given().header("Authorization", TestCredentials.bearer("provider-gateway", intruder))
                .header(Headers.TENANT, owner)
                .when()
                .get("/v1/usage")
                .then()
                .statusCode(200)
                .body("tenant", equalTo(intruder))
                .body("totals.calls", equalTo(0));
    }

    @Test
    void ourTokenNeverReachesTheProvider() {
        String tenant = tenant();
        String token = TestCredentials.bearer("provider-gateway", tenant);
        String chatModel = unique("m");
        String generateModel = unique("m");
        String streamModel = unique("m");
        stubText(chatModel);
        stubText(generateModel);
        OpenAiWireStubs.streamedText(streamModel, List.of("a", "b"), 3, 2);

        given().header("Authorization", token)
                .contentType(ContentType.JSON)
                .body(chatBody(chatModel))
                .post(CHAT)
                .then()
                .statusCode(200);
        given().header("Authorization", token)
                .contentType(ContentType.JSON)
                .body(chatBody(generateModel))
                .post("/v1/generate")
                .then()
                .statusCode(200);
        given().header("Authorization", token)
                .contentType(ContentType.JSON)
                .body("{\"model\":\"" + streamModel
                        + "\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hello\"}]}")
                .post(CHAT)
                .then()
                .statusCode(200);

        String jwt = token.substring("Bearer ".length());
        for (String model : List.of(chatModel, generateModel, streamModel)) {
            List<LoggedRequest> sent = OpenAiStub.server()
                    .findAll(postRequestedFor(urlEqualTo(OpenAiWireStubs.PATH))
                            .withRequestBody(matchingJsonPath("$.model", WireMock.equalTo(model))));
            assertThat(sent).as("the provider was called for %s", model).hasSize(1);
            LoggedRequest request = sent.get(0);
            // the provider gets the provider's key, and nothing of ours in any header
            assertThat(request.getHeader("Authorization")).isEqualTo("Bearer " + OpenAiStub.KEY);
            for (HttpHeader header : request.getHeaders().all()) {
                assertThat(header.values())
                        .as("upstream header %s", header.key())
                        .noneMatch(value -> value.contains(jwt));
            }
            assertThat(request.getBodyAsString()).doesNotContain(jwt);
        }
    }
}
