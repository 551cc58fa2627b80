package dev.devloop.provider.adapters.in.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import dev.devloop.contracts.Headers;
import dev.devloop.provider.support.NotConfiguredProfile;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** With neither key nor base URL the gateway boots and answers 503 naming the settings. */
@QuarkusTest
@TestProfile(NotConfiguredProfile.class)
class NotConfiguredTest {

    @Test
    void answers503NamingTheSettings() {
        given().contentType(ContentType.JSON)
                .header(Headers.TENANT, "t-" + UUID.randomUUID())
                .body("{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}")
                .post("/v1/generate")
                .then()
                .statusCode(503)
                .contentType("application/problem+json")
                .body("type", equalTo("https://devloop.dev/problems/provider-not-configured"))
                .body("detail", containsString("DEVLOOP_OPENAI_API_KEY"))
                .body("detail", containsString("DEVLOOP_OPENAI_BASE_URL"));
    }

    @Test
    void localProviderWithoutAModelNamesItsSetting() {
        given().contentType(ContentType.JSON)
                .header(Headers.TENANT, "t-" + UUID.randomUUID())
                .body("{\"provider\":\"local\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}")
                .post("/v1/generate")
                .then()
                .statusCode(503)
                .body("type", equalTo("https://devloop.dev/problems/provider-not-configured"))
                .body("detail", containsString("DEVLOOP_LOCAL_MODEL_PATH"));
    }

    @Test
    void vertexWithoutProjectOrCredentialsNamesItsSettings() {
        given().contentType(ContentType.JSON)
                .header(Headers.TENANT, "t-" + UUID.randomUUID())
                .body("{\"provider\":\"vertex\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}")
                .post("/v1/generate")
                .then()
                .statusCode(503)
                .contentType("application/problem+json")
                .body("type", equalTo("https://devloop.dev/problems/provider-not-configured"))
                .body("detail", containsString("DEVLOOP_VERTEX_PROJECT"))
                .body("detail", containsString("DEVLOOP_VERTEX_ACCESS_TOKEN"))
                .body("detail", containsString("GOOGLE_APPLICATION_CREDENTIALS"));
    }

    @Test
    void anInstanceWithoutBaseUrlNamesItsKey() {
        given().contentType(ContentType.JSON)
                .header(Headers.TENANT, "t-" + UUID.randomUUID())
                .body("{\"model\":\"lan/llama3.2\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}")
                .post("/v1/generate")
                .then()
                .statusCode(503)
                .body("type", equalTo("https://devloop.dev/problems/provider-not-configured"))
                .body("detail", containsString("devloop.provider.instances.lan.base-url"));
    }

    @Test
    void stillValidatesInputFirst() {
        given().contentType(ContentType.JSON)
                .header(Headers.TENANT, "t-" + UUID.randomUUID())
                .body("{\"messages\":[]}")
                .post("/v1/generate")
                .then()
                .statusCode(400)
                .body("field", equalTo("messages"));
    }
}
