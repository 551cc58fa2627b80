package dev.devloop.provider.adapters.in.rest;

import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import dev.devloop.contracts.Headers;
import dev.devloop.provider.support.OpenAiStub;
import dev.devloop.provider.support.OpenAiWireStubs;
import dev.devloop.provider.support.TrippingCircuitProfile;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Repeated upstream 5xx open the provider's circuit: calls stop reaching it and /v1/providers says so. */
@QuarkusTest
@TestProfile(TrippingCircuitProfile.class)
@QuarkusTestResource(value = OpenAiStub.class, restrictToAnnotatedClass = true)
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
}
