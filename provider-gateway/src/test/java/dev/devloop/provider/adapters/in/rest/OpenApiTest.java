package dev.devloop.provider.adapters.in.rest;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.devloop.contracts.Headers;
import dev.devloop.contracts.openapi.testing.OpenApiContract;
import dev.devloop.provider.support.CommonStubs;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * provider-gateway's {@code /q/openapi} names every public path, with summaries, tags, typed bodies and refusals. The
 * OpenAI-compatible routes describe their errors in OpenAI's shape and, for a client that asks for it, problem+json:
 * this class also proves that second answer is real (asked for with {@code X-Devloop-Error-Format}).
 */
@QuarkusTest
// CommonStubs only to share the common application: each distinct profile + test-resource set is augmented once more
// before the first test (the cost of this module's test run)
@WithTestResource(CommonStubs.class)
class OpenApiTest extends OpenApiContract {
    @Override
    protected int port() {
        return RestAssured.port;
    }

    @Override
    protected Set<String> expectedPaths() {
        return Set.of(
                "/v1/generate",
                "/v1/generate/context",
                "/v1/chat/completions",
                "/v1/embeddings",
                "/v1/models",
                "/v1/models/{model}",
                "/v1/validate",
                "/v1/cache",
                "/v1/providers",
                "/v1/providers/{name}/circuit/reset",
                "/v1/usage",
                "/v1/settings",
                "/v1/settings/{setting}",
                "/safety/settings",
                "/safety/audit");
    }

    @Test
    void describesTheSharedRefusalsAndTheOpenAiBodies() throws Exception {
        JsonNode doc = new ObjectMapper()
                .readTree(given().accept("application/json")
                        .get("/q/openapi?format=json")
                        .asString());
        JsonNode usage401 = doc.at("/paths/~1v1~1usage/get/responses/401/content");
        assertThat(usage401.at("/application~1problem+json/schema/$ref").asText())
                .endsWith("/Problem");
        assertThat(usage401.has("application/json")).isFalse();
        JsonNode embeddings400 = doc.at("/paths/~1v1~1embeddings/post/responses/400/content");
        assertThat(embeddings400.at("/application~1json/schema/$ref").asText()).endsWith("/OpenAiError");
        assertThat(embeddings400.has("application/problem+json")).isTrue();
        JsonNode chat = doc.at("/components/schemas/ChatCompletionRequest/properties");
        assertThat(chat.has("model") && chat.has("messages") && chat.has("stream_options"))
                .isTrue();
        assertThat(chat.has("others")).isFalse();
        assertThat(doc.at("/components/schemas/SettingsChange/properties").has("unknown"))
                .isFalse();
    }

    @Test
    void openAiRoutesAnswerProblemJsonWhenAskedFor() {
        String body = "{\"model\":\"x\",\"n\":2,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
        given().contentType(ContentType.JSON)
                .header(Headers.TENANT, TestHttp.unique("openapi"))
                .header(OpenAiErrorFilter.ERROR_FORMAT, "problem+json")
                .body(body)
                .post("/v1/chat/completions")
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("field", equalTo("n"));
        // api-gateway's hop accepts problem+json too: without the header it still gets OpenAI's shape
        given().contentType(ContentType.JSON)
                .header(Headers.TENANT, TestHttp.unique("openapi"))
                .accept("application/json, application/problem+json, */*;q=0.1")
                .body(body)
                .post("/v1/chat/completions")
                .then()
                .statusCode(400)
                .contentType("application/json")
                .body("error.param", equalTo("n"));
    }
}
