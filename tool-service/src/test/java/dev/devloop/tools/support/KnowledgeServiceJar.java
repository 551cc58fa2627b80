package dev.devloop.tools.support;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
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
 * records. Both sign and verify with keys in the same default key dir.
 *
 * <p>Its address is a global test resource ({@link Address}): every {@code @QuarkusTest} class then shares one
 * augmentation and one application start, instead of a second set (and start) for the one class that calls it. The
 * process runs only around that class ({@link #start(String)}, {@link #close()}).
 */
public final class KnowledgeServiceJar implements AutoCloseable {
    private final Process process;
    private final Path log;

    /** Reserves a free port and points tool-service's knowledge-service REST clients at it. */
    public static final class Address implements QuarkusTestResourceLifecycleManager {
        @Override
        public Map<String, String> start() {
            String url = "http://127.0.0.1:" + freePortBelowTheEphemeralRange();
            return Map.of(
                    "quarkus.rest-client.knowledge-service.url",
                    url,
                    "quarkus.rest-client.knowledge-service-health.url",
                    url);
        }

        /**
         * The port stays unused for minutes, until {@code KnowledgeToolsTest} runs: one from below Linux's ephemeral
         * range (32768-60999), which no outgoing connection and no "any free port" bind of another test takes.
         */
        private static int freePortBelowTheEphemeralRange() {
            java.util.Random random = new java.util.Random();
            for (int attempt = 0; attempt < 100; attempt++) {
                int port = 20_000 + random.nextInt(12_000);
                try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
                    return socket.getLocalPort();
                } catch (IOException taken) {
                    // another one
                }
            }
            throw new UncheckedIOException(new IOException("no free port in 20000-31999 after 100 attempts"));
        }

        @Override
        public void stop() {}
    }

    private KnowledgeServiceJar(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    /** Starts knowledge-service listening on {@code url}'s port and returns once it is ready. */
    public static KnowledgeServiceJar start(String url) {
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
            Path log = Files.createDirectories(Path.of("target")).resolve("knowledge-service-for-tests.log");
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
            env.put("QUARKUS_HTTP_PORT", Integer.toString(URI.create(url).getPort()));
            env.put("QUARKUS_HTTP_HOST", "127.0.0.1");
            env.put(
                    "DEVLOOP_TOPIC_PREFIX",
                    "tool-service-test-" + UUID.randomUUID().toString().substring(0, 8) + ".");
            env.put("DEVLOOP_PROVIDER_GATEWAY_URL", "http://127.0.0.1:9");
            env.put("QUARKUS_OTEL_TRACES_EXPORTER", "none");
            env.put("QUARKUS_LOG_CONSOLE_JSON_ENABLED", "false");
            KnowledgeServiceJar started = new KnowledgeServiceJar(builder.start(), log);
            started.awaitReady(url, Duration.ofSeconds(300));
            return started;
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
        close();
        throw new IllegalStateException("knowledge-service not ready after " + timeout + "; see " + log);
    }

    @Override
    public void close() {
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
