package dev.devloop.provider;

import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;

import dev.devloop.contracts.identity.testing.TenantHeaderCredentials;
import io.quarkus.test.junit.QuarkusIntegrationTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import org.junit.jupiter.api.Test;

/**
 * The packaged jar (prod profile, no provider key, its identity key created in the shared key dir): it boots, lists
 * providers, refuses bad input clearly and an unsigned call in each error shape.
 */
@QuarkusIntegrationTest
class PackagedProviderGatewayIT {
    /** Integration tests get no per-test callbacks: each call is signed for provider-gateway here. */
    private static final TenantHeaderCredentials CREDENTIALS = new TenantHeaderCredentials("provider-gateway");

    private static RequestSpecification given() {
        return RestAssured.given().filter(CREDENTIALS);
    }

    @Test
    void thePackagedServiceBootsWithoutAKeyAndValidates() {
        given().when().get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));
        given().header("X-Devloop-Tenant", "it")
                .when()
                .get("/v1/providers")
                .then()
                .statusCode(200);
        given().header("X-Devloop-Tenant", "it")
                .when()
                .get("/v1/models")
                .then()
                .statusCode(200)
                .body("object", equalTo("list"));
        given().header("X-Devloop-Tenant", "it")
                .contentType(ContentType.JSON)
                .body("{\"model\":\"gpt-4o-mini\",\"messages\":[]}")
                .when()
                .post("/v1/generate")
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("field", notNullValue());
        // the OpenAI-compatible route answers the same mistake in OpenAI's error shape, and an unknown model names it
        given().header("X-Devloop-Tenant", "it")
                .contentType(ContentType.JSON)
                .body("{\"model\":\"gpt-4o-mini\",\"messages\":[]}")
                .when()
                .post("/v1/chat/completions")
                .then()
                .statusCode(400)
                .contentType("application/json")
                .body("error.param", equalTo("messages"))
                .body("error.type", equalTo("invalid_request_error"));
        given().header("X-Devloop-Tenant", "it")
                .contentType(ContentType.JSON)
                .body("{\"model\":\"no-such-model\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}")
                .when()
                .post("/v1/chat/completions")
                .then()
                .statusCode(400)
                .body("error.code", equalTo("model_not_found"))
                .body("error.param", equalTo("model"));
        // unsigned: OpenAI's shape on the OpenAI-compatible routes, problem+json on the gateway's own
        given().header(TenantHeaderCredentials.ANONYMOUS, "1")
                .contentType(ContentType.JSON)
                .body("{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}")
                .when()
                .post("/v1/chat/completions")
                .then()
                .statusCode(401)
                .body("error.type", equalTo("authentication_error"));
        given().header(TenantHeaderCredentials.ANONYMOUS, "1")
                .when()
                .get("/v1/providers")
                .then()
                .statusCode(401)
                .contentType("application/problem+json");
    }
}
