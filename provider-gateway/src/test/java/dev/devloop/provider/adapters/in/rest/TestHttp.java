package dev.devloop.provider.adapters.in.rest;

import static io.restassured.RestAssured.given;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.devloop.contracts.Headers;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** Small helpers shared by the REST tests. */
final class TestHttp {
    static final ObjectMapper JSON = new ObjectMapper();

    private TestHttp() {}

    static String tenant() {
        return "t-" + UUID.randomUUID();
    }

    /**
     * A new tenant whose admin turned PII redaction off ({@code PUT /safety/settings}, audited as subject
     * {@code test-admin}): for tests that need what the caller wrote to reach the model unchanged.
     */
    static String tenantWithoutRedaction() {
        String t = tenant();
        given().contentType(ContentType.JSON)
                .header(Headers.TENANT, t)
                .header(Headers.SUBJECT, "test-admin")
                .body("{\"piiRedaction\":false,\"reason\":\"test needs the raw text\"}")
                .put("/safety/settings")
                .then()
                .statusCode(200);
        return t;
    }

    static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID();
    }

    static Response generate(String tenant, String body) {
        return given().contentType(ContentType.JSON)
                .header(Headers.TENANT, tenant)
                .body(body)
                .when()
                .post("/v1/generate");
    }

    static Response chat(String tenant, String body) {
        return given().contentType(ContentType.JSON)
                .header(Headers.TENANT, tenant)
                .body(body)
                .when()
                .post("/v1/chat/completions");
    }

    /** The JSON answer of a {@code /v1/chat/completions} call, after checking it is a 200. */
    static JsonNode chatJson(String tenant, String body) throws Exception {
        return JSON.readTree(chat(tenant, body).then().statusCode(200).extract().asString());
    }

    /** The JSON answer of a {@code /v1/generate} call, after checking it is a 200. */
    static JsonNode generateJson(String tenant, String body) throws Exception {
        return JSON.readTree(
                generate(tenant, body).then().statusCode(200).extract().asString());
    }

    /** The SSE body of a streamed {@code /v1/chat/completions} call, after checking it is one (200, event stream). */
    static String streamedChat(String tenant, String body) {
        return chat(tenant, body)
                .then()
                .statusCode(200)
                .contentType("text/event-stream")
                .extract()
                .asString();
    }

    /** The JSON payloads of an SSE body, {@code [DONE]} included as a plain string. */
    static List<String> events(String sse) {
        List<String> data = new ArrayList<>();
        for (String line : sse.split("\n")) {
            if (line.startsWith("data: ")) {
                data.add(line.substring(6));
            }
        }
        return data;
    }

    /** Text, finish reason and tool calls assembled from an OpenAI-format chunk stream. */
    record Streamed(String text, String finish, JsonNode toolCalls, JsonNode usage, JsonNode error) {
        /** One argument of the first tool call. */
        String toolArgument(String name) throws Exception {
            return JSON.readTree(
                            toolCalls.get(0).path("function").path("arguments").asText())
                    .path(name)
                    .asText();
        }
    }

    /** A streamed chat (new tenant) offering the {@code lookup(q)} tool and asking to "find svc-s", assembled. */
    static Streamed streamedLookup(String model) throws Exception {
        return assemble(chat(tenant(), """
                {"model":"%s","messages":[{"role":"user","content":"find svc-s"}],"stream":true,
                 "tools":[{"type":"function","function":{"name":"lookup","parameters":{"type":"object",\
                "properties":{"q":{"type":"string"}}}}}]}""".formatted(model))
                .then()
                .statusCode(200)
                .extract()
                .asString());
    }

    static Streamed assemble(String sse) throws Exception {
        StringBuilder text = new StringBuilder();
        String finish = null;
        JsonNode tools = null;
        JsonNode usage = null;
        JsonNode error = null;
        for (String e : events(sse)) {
            if (e.equals("[DONE]")) {
                break;
            }
            JsonNode chunk = JSON.readTree(e);
            if (chunk.has("error")) {
                error = chunk.get("error");
                continue;
            }
            if (chunk.hasNonNull("usage")) {
                usage = chunk.get("usage");
            }
            for (JsonNode choice : chunk.path("choices")) {
                JsonNode delta = choice.path("delta");
                if (delta.hasNonNull("content")) {
                    text.append(delta.get("content").asText());
                }
                if (delta.has("tool_calls")) {
                    tools = delta.get("tool_calls");
                }
                if (choice.hasNonNull("finish_reason")) {
                    finish = choice.get("finish_reason").asText();
                }
            }
        }
        return new Streamed(text.toString(), finish, tools, usage, error);
    }
}
