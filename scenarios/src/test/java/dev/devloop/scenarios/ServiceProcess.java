package dev.devloop.scenarios;

import java.io.IOException;
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
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** One packaged Devloop service started as its own JVM, logging to a file the scenarios read. */
final class ServiceProcess implements AutoCloseable {
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    final String name;
    final int port;
    final Path log;
    private final Process process;
    private final Optional<Path> recordingCache;

    private ServiceProcess(String name, int port, Path log, Process process, Optional<Path> recordingCache) {
        this.name = name;
        this.port = port;
        this.log = log;
        this.process = process;
        this.recordingCache = recordingCache;
    }

    static ServiceProcess start(Path root, String module, int port, Map<String, String> env, Path logDir)
            throws IOException {
        Path jar = root.resolve(module).resolve("target/quarkus-app/quarkus-run.jar");
        if (!Files.exists(jar)) {
            throw new IllegalStateException(jar + " is missing: run the scenarios through 'mvn verify' from the root");
        }
        Files.createDirectories(logDir);
        Path log = logDir.resolve(module + ".log");
        ServiceJvm.Start jvm = ServiceJvm.CURRENT.start(jar.getParent(), module);
        List<String> command = new ArrayList<>(List.of(
                ServiceJvm.CURRENT.java.toString(),
                // knowledge-service holds the in-process embedding model (ONNX + tokenizer) on top of its heap
                "knowledge-service".equals(module) ? "-Xmx768m" : "-Xmx320m",
                "-XX:TieredStopAtLevel=1",
                "-XX:ReservedCodeCacheSize=240m")); // C1 alone gets 48 MB, which a service can fill
        command.addAll(jvm.options());
        command.addAll(List.of("-jar", jar.toString()));
        ProcessBuilder builder =
                new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().putAll(env);
        builder.environment().put("QUARKUS_HTTP_PORT", Integer.toString(port));
        // as deploy/devloop up does (deploy/lib/services.sh service_warmup_env): a start that maps an AOT cache skips
        // provider-gateway's hot-path warm-up (10-20 CPU s); the cache holds the profiles of a start that ran it
        if ("provider-gateway".equals(module)
                && jvm.mapsCache()
                && !builder.environment().containsKey("DEVLOOP_PROVIDER_WARMUP")) {
            builder.environment().put("DEVLOOP_PROVIDER_WARMUP", "false");
        }
        return new ServiceProcess(module, port, log, builder.start(), jvm.recording());
    }

    String url() {
        return "http://127.0.0.1:" + port;
    }

    /** Waits until {@code /q/health/ready} answers 200, failing early if the process dies. */
    void awaitReady(Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        HttpRequest ready = HttpRequest.newBuilder(URI.create(url() + "/q/health/ready"))
                .timeout(Duration.ofSeconds(5))
                .build();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited with " + process.exitValue() + ":\n" + tail(40));
            }
            try {
                // a 200 counts only from our own process: under load another process can win the free port
                if (HTTP.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200
                        && logText().contains("Listening on: http://127.0.0.1:" + port)) {
                    return;
                }
            } catch (IOException notYet) {
                // still starting
            }
            Thread.sleep(250);
        }
        throw new IllegalStateException(name + " not ready after " + timeout + ":\n" + tail(40));
    }

    String logText() throws IOException {
        return Files.readString(log);
    }

    String tail(int lines) {
        try {
            List<String> all = Files.readAllLines(log);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    /** Ends the process at once, as a crash or an OOM kill would. */
    void kill() throws InterruptedException {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        recordingCache.ifPresent(cache -> ServiceJvm.keepRecorded(cache, log));
    }

    /** Asks the service to stop (SIGTERM) without waiting, so that a stack's services stop side by side. */
    void requestStop() {
        process.destroy();
    }

    @Override
    public void close() throws InterruptedException {
        requestStop();
        // a JVM recording its AOT cache writes it on the way out (seconds of CPU on a loaded box)
        if (!process.waitFor(recordingCache.isPresent() ? 90 : 15, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
        recordingCache.ifPresent(cache -> ServiceJvm.keepRecorded(cache, log));
    }
}
