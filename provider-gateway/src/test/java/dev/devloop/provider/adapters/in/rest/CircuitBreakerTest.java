package dev.devloop.provider.adapters.in.rest;

import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import dev.devloop.contracts.Headers;
import dev.devloop.provider.support.OpenAiStub;
import dev.devloop.provider.support.OpenAiWireStubs;
import dev.devloop.provider.support.TrippingCircuitProfile;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Repeated upstream 5xx open the provider's circuit: calls stop reaching it and /v1/providers says so; a reset
 * through {@code POST /v1/providers/{name}/circuit/reset} closes it at once (the System Health agent's repair).
 */
@QuarkusTest
@TestProfile(TrippingCircuitProfile.class)
@WithTestResource(OpenAiStub.class)
class CircuitBreakerTest {

    @Test
    void opensAfterRepeatedFailures() {
        String tenant = "t-" + UUID.randomUUID();
        String model = "m-" + UUID.randomUUID();
        OpenAiWireStubs.json(model, 500, "{\"error\":{\"message\":\"boom\"}}");
        String body = "{\"model\":\"" + model + "\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
        for (int i = 0; i < 4; i++) {
            given().contentType(ContentType.JSON)
                    .header(Headers.TENANT, tenant)
                    .body(body)
                    .post("/v1/generate")
                    .then()
                    .statusCode(502);
        }
        given().contentType(ContentType.JSON)
                .header(Headers.TENANT, tenant)
                .body(body)
                .post("/v1/generate")
                .then()
                .statusCode(503)
                .contentType("application/problem+json")
                .header("Retry-After", "600")
                .body("type", equalTo("https://devloop.dev/problems/provider-circuit-open"));
        OpenAiStub.server().verify(4, postRequestedFor(urlEqualTo(OpenAiWireStubs.PATH)));
        given().header(Headers.TENANT, tenant)
                .get("/v1/providers")
                .then()
                .statusCode(200)
                .body("providers[0].circuit", equalTo("open"));
    }

    private static io.restassured.response.ValidatableResponse reset(String tenant, String provider) {
        // with the body tool-service's reset_circuit sends (the gateway reads only the path and the tenant)
        return given().header(Headers.TENANT, tenant)
                .contentType(ContentType.JSON)
                .body("{\"reason\":\"upstream fixed\",\"agentId\":\"agent-health\"}")
                .post("/v1/providers/" + provider + "/circuit/reset")
                .then();
    }

    /** The counter's sample; an exemplar ({@code # {trace_id=…} 1.0 <time>}) may follow the value. */
    private static final java.util.regex.Pattern RESETS = java.util.regex.Pattern.compile(
            "devloop_provider_circuit_resets_total\\{[^}]*provider=\"openai\"[^}]*\\} (\\S+).*");

    private static double resetsCounted() {
        String metrics =
                given().get("/q/metrics").then().statusCode(200).extract().asString();
        return metrics.lines()
                .map(RESETS::matcher)
                .filter(java.util.regex.Matcher::matches)
                .mapToDouble(m -> Double.parseDouble(m.group(1)))
                .sum();
    }

    @Test
    void aResetClosesAnOpenCircuitSoTheNextCallIsServed() {
        String tenant = "t-" + UUID.randomUUID();
        try {
            opensAndResets(tenant);
        } finally {
            // leave a clean window for the other test of this class (it counts its own four failures and calls)
            reset(tenant, "openai").statusCode(200).body("after", equalTo("closed"));
            OpenAiStub.server().resetRequests();
        }
    }

    private void opensAndResets(String tenant) {
        reset(tenant, "openai").statusCode(200).body("after", equalTo("closed")); // whatever the other test left
        double countedBefore = resetsCounted();
        String model = "m-" + UUID.randomUUID();
        OpenAiWireStubs.json(model, 500, "{\"error\":{\"message\":\"boom\"}}");
        String body = "{\"model\":\"" + model + "\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
        for (int i = 0; i < 4; i++) {
            given().contentType(ContentType.JSON)
                    .header(Headers.TENANT, tenant)
                    .body(body)
                    .post("/v1/generate")
                    .then()
                    .statusCode(502);
        }
        // the upstream is fixed, but the open circuit still refuses for its whole delay (600 s here)
        OpenAiWireStubs.json(
                model,
                200,
                OpenAiWireStubs.completion(model, "{\"role\":\"assistant\",\"content\":\"back\"}", "stop", 5, 1));
        given().contentType(ContentType.JSON)
                .header(Headers.TENANT, tenant)
                .body(body)
                .post("/v1/generate")
                .then()
                .statusCode(503)
                .body("type", equalTo("https://devloop.dev/problems/provider-circuit-open"));

        reset(tenant, "openai")
                .statusCode(200)
                .contentType(ContentType.JSON)
                .body("provider", equalTo("openai"))
                .body("before", equalTo("open"))
                .body("after", equalTo("closed"));

        given().contentType(ContentType.JSON)
                .header(Headers.TENANT, tenant)
                .body(body)
                .post("/v1/generate")
                .then()
                .statusCode(200)
                .body("text", equalTo("back"));
        given().header(Headers.TENANT, tenant)
                .get("/v1/providers")
                .then()
                .statusCode(200)
                .body("providers.find { it.name == 'openai' }.circuit", equalTo("closed"));
        assertThat(resetsCounted()).isEqualTo(countedBefore + 1);
    }

    @Test
    void resettingAnUnknownProviderIs404NamingTheNameAndTheTenantIsRequired() {
        reset("t-" + UUID.randomUUID(), "nope")
                .statusCode(404)
                .contentType("application/problem+json")
                .body("type", equalTo("https://devloop.dev/problems/provider-not-found"))
                .body("field", equalTo("name"))
                .body("detail", containsString("nope"));
        given().post("/v1/providers/openai/circuit/reset")
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("detail", containsString(Headers.TENANT));
    }
}
