package dev.devloop.provider.adapters.in.rest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.devloop.provider.support.OpenAiStub;
import dev.devloop.provider.support.OpenAiWireStubs;
import io.quarkus.test.common.QuarkusTestResource;
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
 * plain, tool calls, streaming text and streaming tool calls, models, and a 400. Skipped when
 * {@code node} is not installed; installs the client with {@code npm ci} when it is missing.
 */
@QuarkusTest
@QuarkusTestResource(value = OpenAiStub.class, restrictToAnnotatedClass = true)
class OpenAiNodeClientTest {
  private static final Path NODE_DIR = Path.of("src/test/node");

  @TestHTTPResource("/v1")
  URL baseUrl;

  private static boolean onPath(String command) {
    try {
      Process p = new ProcessBuilder(command, "--version").redirectErrorStream(true).start();
      p.getInputStream().readAllBytes();
      return p.waitFor(20, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (Exception e) {
      return false;
    }
  }

  private static String run(List<String> command, java.util.Map<String, String> env, int timeoutSeconds) throws Exception {
    File log = Files.createTempFile("node-client", ".log").toFile();
    ProcessBuilder pb = new ProcessBuilder(command).directory(NODE_DIR.toFile()).redirectErrorStream(true)
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
    assertThat(p.exitValue()).as("%s exit code; output: %s", command, output).isZero();
    return output;
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
    OpenAiWireStubs.json(text, 200, OpenAiWireStubs.completion(text, "{\"role\":\"assistant\",\"content\":\"Hello from stub\"}", "stop", 11, 4));
    OpenAiWireStubs.json(tool, 200, OpenAiWireStubs.completion(tool,
        "{\"role\":\"assistant\",\"content\":null,\"tool_calls\":[{\"id\":\"call_n1\",\"type\":\"function\","
            + "\"function\":{\"name\":\"store_fact\",\"arguments\":\"{\\\"entity\\\":\\\"node\\\",\\\"ttlSeconds\\\":5}\"}}]}",
        "tool_calls", 20, 8));
    OpenAiWireStubs.streamedText(stream, List.of("str", "eam", "ed"), 6, 3);
    OpenAiWireStubs.streamedToolCall(streamTool, "call_st", "store_fact");

    String output = run(
        List.of("node", "chat-client.mjs"),
        java.util.Map.of(
            "BASE_URL", baseUrl.toString(), "TENANT", "t-" + UUID.randomUUID(), "TEXT_MODEL", text, "TOOL_MODEL", tool,
            "STREAM_MODEL", stream, "STREAM_TOOL_MODEL", streamTool),
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
  }
}
