package dev.devloop.provider.adapters.in.rest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.devloop.contracts.identity.testing.TestCredentials;
import dev.devloop.provider.support.CommonStubs;
import dev.devloop.provider.support.OpenAiWireStubs;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.io.File;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The official OpenAI npm client ({@code src/test/node}) against {@code /v1/chat/completions}:
 * plain, tool calls, streaming text and streaming tool calls, models, and errors as the SDK shows them (a 400
 * naming the field, a 404 {@code model_not_found}, a blocked prompt injection, a wrong key as
 * {@code AuthenticationError} and another service's token as {@code PermissionDeniedError}, each with our reason).
 * The SDK's apiKey is a cell token for provider-gateway ({@link TestCredentials}). Skipped when
 * {@code node} is not installed; installs the client with {@code npm ci} when it is missing.
 */
@QuarkusTest
@WithTestResource(CommonStubs.class)
class OpenAiNodeClientTest {
    private static final Path NODE_DIR = Path.of("src/test/node");

    @TestHTTPResource("/v1")
    URL baseUrl;

    private static boolean onPath(String command) {
        try {
            Process p = new ProcessBuilder(command, "--version")
                    .redirectErrorStream(true)
                    .start();
            p.getInputStream().readAllBytes();
            return p.waitFor(20, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (Exception e) {
            return false;
        }
    }

    private static String run(List<String> command, java.util.Map<String, String> env, int timeoutSeconds)
            throws Exception {
        File log = Files.createTempFile("node-client", ".log").toFile();
        ProcessBuilder pb = new ProcessBuilder(command)
                .directory(NODE_DIR.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log);
        pb.environment().putAll(env);
        Process p = pb.start();
        boolean done = p.waitFor(timeoutSeconds, TimeUnit.SECONDS);
        if (!done) {
            p.destroyForcibly();
        }
        String output = Files.readString(log.toPath(), StandardCharsets.UTF_8);
        Files.deleteIfExists(log.toPath());
        assertThat(done).as("%s finished in time; output: %s", command, output).isTrue();
        assertThat(p.exitValue())
                .as("%s exit code; output: %s", command, output)
                .isZero();
        return output;
    }

    /** A cell token as the SDK's apiKey (the SDK adds the {@code Bearer} prefix itself). */
    private static String apiKey(String audience, String tenant) {
        return TestCredentials.bearer(audience, tenant).substring("Bearer ".length());
    }

    @Test
    void officialClientWorksAgainstTheGateway() throws Exception {
        assumeTrue(onPath("node"), "node is not installed");
        if (!Files.isDirectory(NODE_DIR.resolve("node_modules/openai"))) {
            assumeTrue(onPath("npm"), "npm is not installed");
            run(List.of("npm", "ci", "--no-audit", "--no-fund"), java.util.Map.of(), 300);
        }
        String text = "m-" + UUID.randomUUID();
        String tool = "m-" + UUID.randomUUID();
        String stream = "m-" + UUID.randomUUID();
        String streamTool = "m-" + UUID.randomUUID();
        OpenAiWireStubs.json(
                text,
                200,
                OpenAiWireStubs.completion(
                        text, "{\"role\":\"assistant\",\"content\":\"Hello from stub\"}", "stop", 11, 4));
        OpenAiWireStubs.json(
                tool,
                200,
                OpenAiWireStubs.completion(
                        tool,
                        "{\"role\":\"assistant\",\"content\":null,\"tool_calls\":[{\"id\":\"call_n1\",\"type\":\"function\","
                                + "\"function\":{\"name\":\"store_fact\",\"arguments\":\"{\\\"entity\\\":\\\"node\\\",\\\"ttlSeconds\\\":5}\"}}]}",
                        "tool_calls",
                        20,
                        8));
        OpenAiWireStubs.streamedText(stream, List.of("str", "eam", "ed"), 6, 3);
        OpenAiWireStubs.streamedToolCall(streamTool, "call_st", "store_fact");
        String blockTenant = "t-" + UUID.randomUUID();
        io.restassured.RestAssured.given()
                .contentType(io.restassured.http.ContentType.JSON)
                .header(dev.devloop.contracts.Headers.TENANT, blockTenant)
                .header(dev.devloop.contracts.Headers.SUBJECT, "node-test")
                .body("{\"injectionMode\":\"block\"}")
                .put("/safety/settings")
                .then()
                .statusCode(200);

        // what the gateway answers a key that is no cell token: the SDK must show exactly this reason
        String wrongKeyReason = io.restassured.RestAssured.given()
                .header("Authorization", "Bearer sk-not-a-devloop-token")
                .contentType(io.restassured.http.ContentType.JSON)
                .body("{\"model\":\"" + text + "\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}")
                .post("/v1/chat/completions")
                .then()
                .statusCode(401)
                .extract()
                .path("error.message");
        String tenant = "t-" + UUID.randomUUID();
        String output = run(
                List.of("node", "chat-client.mjs"),
                java.util.Map.of(
                        "BASE_URL",
                        baseUrl.toString(),
                        // the SDK sends its apiKey as Authorization: Bearer <apiKey>
                        "API_KEY",
                        apiKey("provider-gateway", tenant),
                        "BLOCK_API_KEY",
                        apiKey("provider-gateway", blockTenant),
                        "OTHER_AUDIENCE_API_KEY",
                        apiKey("knowledge-service", tenant),
                        "TENANT",
                        tenant,
                        "TEXT_MODEL",
                        text,
                        "TOOL_MODEL",
                        tool,
                        "STREAM_MODEL",
                        stream,
                        "STREAM_TOOL_MODEL",
                        streamTool,
                        "BLOCK_TENANT",
                        blockTenant),
                120);
        String lastLine = output.strip().lines().reduce((a, b) -> b).orElseThrow();
        JsonNode seen = new ObjectMapper().readTree(lastLine);

        assertThat(seen.at("/text/content").asText()).isEqualTo("Hello from stub");
        assertThat(seen.at("/text/finish").asText()).isEqualTo("stop");
        assertThat(seen.at("/text/usage/total_tokens").asInt()).isEqualTo(15);
        assertThat(seen.at("/tool/finish").asText()).isEqualTo("tool_calls");
        assertThat(seen.at("/tool/id").asText()).isEqualTo("call_n1");
        assertThat(seen.at("/tool/arguments/entity").asText()).isEqualTo("node");
        assertThat(seen.at("/stream/content").asText()).isEqualTo("streamed");
        assertThat(seen.at("/stream/finish").asText()).isEqualTo("stop");
        assertThat(seen.at("/stream/usage/total_tokens").asInt()).isEqualTo(9);
        assertThat(seen.at("/streamTool/finish").asText()).isEqualTo("tool_calls");
        assertThat(seen.at("/streamTool/id").asText()).isEqualTo("call_st");
        assertThat(seen.at("/streamTool/arguments/entity").asText()).isEqualTo("svc-s");
        assertThat(seen.at("/models").toString()).contains("gpt-4o-mini");
        assertThat(seen.at("/badRequest").asInt()).isEqualTo(400);
        // the SDK reads OpenAI's error shape: the reason, the type, the offending field and the code
        assertThat(seen.at("/badRequestError/name").asText()).isEqualTo("BadRequestError");
        assertThat(seen.at("/badRequestError/type").asText()).isEqualTo("invalid_request_error");
        assertThat(seen.at("/badRequestError/param").asText()).isEqualTo("messages");
        assertThat(seen.at("/badRequestError/message").asText())
                .startsWith("400 ")
                .doesNotContain("no body");
        assertThat(seen.at("/missingModel/name").asText()).isEqualTo("NotFoundError");
        assertThat(seen.at("/missingModel/status").asInt()).isEqualTo(404);
        assertThat(seen.at("/missingModel/code").asText()).isEqualTo("model_not_found");
        assertThat(seen.at("/missingModel/message").asText()).contains("no-such-model");
        assertThat(seen.at("/injection/status").asInt()).isEqualTo(400);
        assertThat(seen.at("/injection/code").asText()).isEqualTo("prompt_injection_detected");
        assertThat(seen.at("/injection/param").asText()).isEqualTo("messages[0].content");
        assertThat(seen.at("/injection/message").asText()).contains("prompt injection");
        // a wrong key: the SDK's AuthenticationError carries our reason; another service's token: PermissionDeniedError
        assertThat(seen.at("/wrongKey/name").asText()).isEqualTo("AuthenticationError");
        assertThat(seen.at("/wrongKey/status").asInt()).isEqualTo(401);
        assertThat(seen.at("/wrongKey/type").asText()).isEqualTo("authentication_error");
        assertThat(wrongKeyReason).startsWith("the token does not verify");
        assertThat(seen.at("/wrongKey/message").asText()).isEqualTo("401 " + wrongKeyReason);
        assertThat(seen.at("/otherAudience/name").asText()).isEqualTo("PermissionDeniedError");
        assertThat(seen.at("/otherAudience/status").asInt()).isEqualTo(403);
        assertThat(seen.at("/otherAudience/type").asText()).isEqualTo("permission_error");
        assertThat(seen.at("/otherAudience/message").asText())
                .isEqualTo("403 the token was not issued for provider-gateway");
    }
}
