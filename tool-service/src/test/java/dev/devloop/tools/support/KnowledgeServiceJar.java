package dev.devloop.tools.support;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
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
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * The real knowledge-service, started from its packaged jar ({@code ../knowledge-service/target/quarkus-app},
 * built before this module in the reactor; {@code DEVLOOP_KNOWLEDGE_JAR} overrides) on a free port against
 * the local stack's servers. Its Kafka topics get a unique prefix so it never takes another consumer's
 * records. tool-service's {@code knowledge-service} REST client is pointed at it; both sign and verify with keys in
 * the same default key dir.
 */
public class KnowledgeServiceJar implements QuarkusTestResourceLifecycleManager {
    private Process process;
    private Path log;

    @Override
    public Map<String, String> start() {
        Path jar = Path.of(System.getenv()
                        .getOrDefault(
                                "DEVLOOP_KNOWLEDGE_JAR", "../knowledge-service/target/quarkus-app/quarkus-run.jar"))
                .toAbsolutePath()
                .normalize();
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: package knowledge-service first "
                    + "(./mvnw -B -o -pl knowledge-service package -DskipTests) or run the reactor build");
        }
        try {
            int port;
            try (ServerSocket socket = new ServerSocket(0)) {
                port = socket.getLocalPort();
            }
            log = Files.createDirectories(Path.of("target")).resolve("knowledge-service-for-tests.log");
            List<String> command = new ArrayList<>(List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx512m",
                    "-XX:TieredStopAtLevel=1",
                    // prod profile: creates (or reuses) its key in the shared key dir, where tool-service's is
                    "-Ddevloop.identity.generate-missing=true"));
            command.addAll(List.of("-jar", jar.toString()));
            ProcessBuilder builder =
                    new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
            Map<String, String> env = builder.environment();
            env.put("QUARKUS_HTTP_PORT", Integer.toString(port));
            env.put("QUARKUS_HTTP_HOST", "127.0.0.1");
            env.put(
                    "DEVLOOP_TOPIC_PREFIX",
                    "tool-service-test-" + UUID.randomUUID().toString().substring(0, 8) + ".");
            env.put("DEVLOOP_PROVIDER_GATEWAY_URL", "http://127.0.0.1:9");
            env.put("QUARKUS_OTEL_TRACES_EXPORTER", "none");
            env.put("QUARKUS_LOG_CONSOLE_JSON_ENABLED", "false");
            process = builder.start();
            String url = "http://127.0.0.1:" + port;
            awaitReady(url, Duration.ofSeconds(300));
            return Map.of(
                    "quarkus.rest-client.knowledge-service.url",
                    url,
                    "quarkus.rest-client.knowledge-service-health.url",
                    url);
        } catch (IOException e) {
            throw new IllegalStateException("knowledge-service could not be started", e);
        }
    }

    private void awaitReady(String url, Duration timeout) {
        HttpClient http =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        HttpRequest ready = HttpRequest.newBuilder(URI.create(url + "/q/health/ready"))
                .timeout(Duration.ofSeconds(5))
                .build();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException(
                        "knowledge-service exited with " + process.exitValue() + "; see " + log);
            }
            try {
                if (http.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // still starting
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
            try {
                Thread.sleep(250);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
        }
        stop();
        throw new IllegalStateException("knowledge-service not ready after " + timeout + "; see " + log);
    }

    @Override
    public void stop() {
        if (process == null) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(15, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
