package dev.devloop.provider;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.devloop.contracts.identity.testing.TestCredentials;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The packaged jar run with the JVM flags the pod gets ({@code jvm.options}: bounded heap, SerialGC,
 * {@code -XX:+ExitOnOutOfMemoryError}) answers {@code /v1/embeddings} with the in-process all-MiniLM-L6-v2 model.
 * Guards stop 20's finding: the model's load died of OutOfMemoryError at every heap up to 320 MB, so a smaller
 * {@code -Xmx} in jvm.options would pass every other test and fail in production at the first local embedding.
 * Started by hand (not {@code @QuarkusIntegrationTest}) because those flags are the point. Bounded: 120 s to ready,
 * 120 s for the first embedding (model load), 15 s to stop.
 */
class PackagedLocalEmbeddingsIT {
    private static final Duration READY_WAIT = Duration.ofSeconds(120);
    private static final Duration CALL_WAIT = Duration.ofSeconds(120);
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void embeddingsAnswerUnderThePodsJvmFlags() throws Exception {
        Path jar = Path.of("target/quarkus-app/quarkus-run.jar");
        assertThat(jar).exists();
        List<String> flags = jvmOptions(Path.of("jvm.options"));
        assertThat(flags).anyMatch(f -> f.startsWith("-Xmx")).contains("-XX:+ExitOnOutOfMemoryError");
        int port = freePort();
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(flags);
        command.addAll(List.of(
                "-Dquarkus.http.host=127.0.0.1",
                "-Dquarkus.http.port=" + port,
                "-Ddevloop.identity.generate-missing=true",
                "-Ddevloop.provider.warmup.enabled=false",
                "-jar",
                jar.toString()));
        Path log = Path.of("target/packaged-local-embeddings.log");
        Process gateway = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        try {
            HttpClient http = HttpClient.newBuilder()
                    .connectTimeout(Duration.ofSeconds(2))
                    .build();
            String base = "http://127.0.0.1:" + port;
            awaitReady(http, base, gateway, log);

            HttpResponse<String> answer = http.send(
                    HttpRequest.newBuilder(URI.create(base + "/v1/embeddings"))
                            .timeout(CALL_WAIT)
                            .header("Content-Type", "application/json")
                            .header("Authorization", TestCredentials.bearer("provider-gateway", "it-embeddings"))
                            .POST(
                                    HttpRequest.BodyPublishers.ofString(
                                            "{\"model\":\"local/all-minilm-l6-v2\",\"input\":[\"svc-a is slow\",\"disk full\"]}"))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());

            assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
            JsonNode data = JSON.readTree(answer.body()).get("data");
            assertThat(data).hasSize(2);
            assertThat(data.get(0).get("embedding")).hasSize(384);
            assertThat(data.get(1).get("embedding")).hasSize(384);
            assertThat(gateway.isAlive())
                    .as("the gateway survived the model load")
                    .isTrue();
        } finally {
            gateway.destroy();
            if (!gateway.waitFor(15, TimeUnit.SECONDS)) {
                gateway.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        }
    }

    /** The flags of {@code jvm.options}: one per line, {@code #} starts a comment (as bench/run.sh reads them). */
    static List<String> jvmOptions(Path file) throws IOException {
        List<String> flags = new ArrayList<>();
        for (String line : Files.readAllLines(file)) {
            String flag = line.replaceAll("#.*", "").trim();
            if (!flag.isEmpty()) {
                flags.add(flag);
            }
        }
        return flags;
    }

    private static void awaitReady(HttpClient http, String base, Process gateway, Path log) throws Exception {
        long deadline = System.nanoTime() + READY_WAIT.toNanos();
        while (System.nanoTime() - deadline < 0) {
            if (!gateway.isAlive()) {
                throw new AssertionError("the gateway exited (" + gateway.exitValue() + "); log: " + tail(log));
            }
            try {
                HttpResponse<Void> ready = http.send(
                        HttpRequest.newBuilder(URI.create(base + "/q/health/ready"))
                                .timeout(Duration.ofSeconds(2))
                                .build(),
                        HttpResponse.BodyHandlers.discarding());
                if (ready.statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(250);
        }
        throw new AssertionError("the gateway was not ready within " + READY_WAIT + "; log: " + tail(log));
    }

    private static String tail(Path log) throws IOException {
        List<String> lines = Files.readAllLines(log);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
