package dev.devloop.gateway.support;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
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
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The real sibling services, started once per test JVM from their packaged jars
 * ({@code <module>/target/quarkus-app}, built by {@code ./mvnw install -DskipTests}) on free ports, on the
 * real Redis, MongoDB, Neo4j and Kafka, with only the LLM stubbed ({@link OpenAiStub}); once per JVM, not per test
 * profile.
 *
 * <p>Cell {@code local} (the default) sends knowledge, tool and provider calls to them and agent calls to
 * the WireMock {@link AgentServiceStub}; cell {@code stack} sends all four to the real services and
 * serves the tenants {@link #STACK_TENANTS}.
 */
public class RealServices implements QuarkusTestResourceLifecycleManager {
    public static final List<String> STACK_TENANTS = List.of("stack-a", "stack-b");
    private static final List<String> MODULES =
            List.of("knowledge-service", "tool-service", "provider-gateway", "agent-service");
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    /** The started services' URLs ({@code module=url,...}), shared by every Quarkus app of this test JVM. */
    private static final String SHARED_URLS = "devloop.test.real-services.urls";

    private static Map<String, String> urls;
    private static OpenAiStub openAi;

    /**
     * {@code false} where no test of the JVM calls a sibling (failsafe's packaged-jar test, set in the pom): nothing is
     * started and no cell URL is configured.
     */
    private static final String START = "devloop.test.real-services.start";

    @Override
    public Map<String, String> start() {
        if (!Boolean.parseBoolean(System.getProperty(START, "true"))) {
            return Map.of();
        }
        Map<String, String> started = startOnce();
        Map<String, String> config = new HashMap<>();
        for (String module : List.of("knowledge-service", "tool-service", "provider-gateway")) {
            config.put("devloop.gateway.cells.urls.local." + module, started.get(module));
        }
        for (String module : MODULES) {
            config.put("devloop.gateway.cells.urls.stack." + module, started.get(module));
        }
        for (String tenant : STACK_TENANTS) {
            config.put("devloop.gateway.cells.tenants." + tenant, "stack");
        }
        return config;
    }

    /** The LLM stub behind the real provider-gateway (to script streamed and failing answers). */
    public static OpenAiStub openAi() {
        startOnce();
        if (openAi == null) {
            throw new IllegalStateException("the OpenAI stub belongs to the Quarkus app (test profile) that started the"
                    + " services; use it from a test of that profile");
        }
        return openAi;
    }

    /** The base URL of a started service. */
    public static String url(String module) {
        return startOnce().get(module);
    }

    private static synchronized Map<String, String> startOnce() {
        if (urls != null) {
            return urls;
        }
        // A test profile is another Quarkus app with its own class loader, so its copy of this class starts empty:
        // the services already running for this JVM are found through a system property instead of started again
        // (four more JVMs per profile, each boot minutes on a loaded machine).
        String shared = System.getProperty(SHARED_URLS);
        if (shared != null) {
            Map<String, String> found = new LinkedHashMap<>();
            for (String entry : shared.split(",")) {
                int eq = entry.indexOf('=');
                found.put(entry.substring(0, eq), entry.substring(eq + 1));
            }
            urls = found;
            return urls;
        }
        Path root = Path.of(System.getProperty("user.dir")).toAbsolutePath().getParent();
        Path logs = root.resolve("api-gateway/target/real-services");
        openAi = new OpenAiStub();
        Map<String, String> started = new LinkedHashMap<>();
        Map<String, Integer> ports = new HashMap<>();
        for (String module : MODULES) {
            ports.put(module, freePort());
            started.put(module, "http://127.0.0.1:" + ports.get(module));
        }
        Map<String, String> env = new HashMap<>();
        env.put("DEVLOOP_KNOWLEDGE_SERVICE_URL", started.get("knowledge-service"));
        env.put("DEVLOOP_TOOL_SERVICE_URL", started.get("tool-service"));
        env.put("DEVLOOP_PROVIDER_GATEWAY_URL", started.get("provider-gateway"));
        env.put("DEVLOOP_AGENT_SERVICE_URL", started.get("agent-service"));
        env.put("DEVLOOP_OPENAI_BASE_URL", openAi.baseUrl());
        env.put("DEVLOOP_OPENAI_API_KEY", "sk-gateway-test");
        // their own databases: a sibling's shared devloop_* store may already carry migrations newer than its packaged
        // jar (the module is being developed), which the jar would rightly refuse to start against
        env.put("DEVLOOP_DB_PREFIX", "gwtest_");
        // the packaged provider-gateway warms its hot path before ready (up to 15 s of both cores): it would only hold
        // up the other three siblings' boots and this module's first test, and no test here measures its speed
        env.put("DEVLOOP_PROVIDER_WARMUP", "false");
        List<Process> processes = new ArrayList<>();
        try {
            Files.createDirectories(logs);
            for (String module : MODULES) {
                Path jar = root.resolve(module).resolve("target/quarkus-app/quarkus-run.jar");
                if (!Files.exists(jar)) {
                    throw new IllegalStateException(
                            jar + " is missing: run ./mvnw -B install -DskipTests from the root first");
                }
                ProcessBuilder builder = new ProcessBuilder(
                                Path.of(System.getProperty("java.home"), "bin", "java")
                                        .toString(),
                                "-Xmx768m",
                                "-XX:TieredStopAtLevel=1",
                                "-XX:ReservedCodeCacheSize=240m", // C1 alone gets 48 MB, which a service can fill
                                // prod profile: each sibling creates (or reuses) its key in the shared key dir and
                                // verifies the gateway's tokens against the cell's key set there
                                "-Ddevloop.identity.generate-missing=true",
                                "-jar",
                                jar.toString())
                        .redirectErrorStream(true)
                        .redirectOutput(logs.resolve(module + ".log").toFile());
                builder.environment().putAll(env);
                builder.environment().put("QUARKUS_HTTP_PORT", Integer.toString(ports.get(module)));
                processes.add(builder.start());
            }
        } catch (IOException e) {
            processes.forEach(Process::destroyForcibly);
            throw new IllegalStateException(e);
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            processes.forEach(Process::destroy);
            for (Process p : processes) {
                try {
                    if (!p.waitFor(10, TimeUnit.SECONDS)) {
                        p.destroyForcibly();
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            openAi.close();
        }));
        for (int i = 0; i < MODULES.size(); i++) {
            awaitReady(
                    MODULES.get(i),
                    started.get(MODULES.get(i)),
                    processes.get(i),
                    logs.resolve(MODULES.get(i) + ".log"));
        }
        urls = started;
        StringBuilder forOtherApps = new StringBuilder();
        started.forEach((module, url) -> forOtherApps
                .append(forOtherApps.isEmpty() ? "" : ",")
                .append(module)
                .append('=')
                .append(url));
        System.setProperty(SHARED_URLS, forOtherApps.toString());
        return urls;
    }

    /**
     * A bound only (a sibling that exits fails at once): knowledge-service took over 240 s to listen beside three other
     * boots at load average 40 on 2 cores (stop 28), where the module's run is better slow than red.
     */
    private static final Duration READY_BOUND = Duration.ofSeconds(600);

    private static void awaitReady(String module, String url, Process process, Path log) {
        long deadline = System.nanoTime() + READY_BOUND.toNanos();
        HttpRequest ready = HttpRequest.newBuilder(URI.create(url + "/q/health/ready"))
                .timeout(Duration.ofSeconds(5))
                .build();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException(module + " exited with " + process.exitValue() + "; see " + log);
            }
            try {
                if (HTTP.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // still starting
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            try {
                Thread.sleep(300);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        throw new IllegalStateException(module + " not ready after " + READY_BOUND.toSeconds() + " s; see " + log);
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void stop() {
        // shared by every Quarkus app of this JVM; ended by the shutdown hook
    }
}
