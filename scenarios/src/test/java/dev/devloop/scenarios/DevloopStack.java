package dev.devloop.scenarios;

import dev.devloop.contracts.identity.testing.TestCredentials;
import io.restassured.RestAssured;
import io.restassured.filter.Filter;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The five services started from their packaged jars on free ports, wired to each other and to the
 * real servers of the local stack; only the LLM base URL points at a stub. They sign their calls to each other
 * with keys in one key set (the one {@link TestCredentials} signs the scenarios' direct calls with, see
 * {@link ServiceCredentials}).
 */
final class DevloopStack implements AutoCloseable {
    static final List<String> MODULES =
            List.of("knowledge-service", "tool-service", "provider-gateway", "agent-service", "api-gateway");

    private final Map<String, ServiceProcess> services = new LinkedHashMap<>();
    private Path root;
    private Path logDir;
    private Map<String, String> env;
    private ServiceCredentials credentials;

    /**
     * The settings every scenario stack needs (the LLM base URL on the stub, the users' JWT key and issuer) plus
     * {@code more}, which wins on a clash.
     */
    static Map<String, String> env(OpenAiStub openAi, TestTokens tokens, Map<String, String> more) {
        Map<String, String> env = new HashMap<>(Map.of(
                "DEVLOOP_OPENAI_BASE_URL",
                openAi.baseUrl(),
                "DEVLOOP_OPENAI_API_KEY",
                "sk-scenario-test",
                "DEVLOOP_JWT_PUBLIC_KEY_LOCATION",
                tokens.publicKeyPem.toString(),
                "DEVLOOP_JWT_ISSUER",
                TestTokens.ISSUER));
        env.putAll(more);
        return env;
    }

    static DevloopStack start(Path root, Path workDir, Map<String, String> extraEnv) throws Exception {
        try {
            return startOnFreePorts(root, workDir, extraEnv);
        } catch (IllegalStateException e) {
            if (!String.valueOf(e.getMessage()).contains("seems to be in use")) {
                throw e;
            }
            // a free port was taken between its pick and the service's bind: once more on new ports
            return startOnFreePorts(root, workDir.resolve("retry"), extraEnv);
        }
    }

    private static DevloopStack startOnFreePorts(Path root, Path workDir, Map<String, String> extraEnv)
            throws Exception {
        Map<String, Integer> ports = new HashMap<>();
        for (String module : MODULES) {
            ports.put(module, freePort());
        }
        Map<String, String> env = new HashMap<>(extraEnv);
        env.put("DEVLOOP_KNOWLEDGE_SERVICE_URL", "http://127.0.0.1:" + ports.get("knowledge-service"));
        env.put("DEVLOOP_TOOL_SERVICE_URL", "http://127.0.0.1:" + ports.get("tool-service"));
        env.put("DEVLOOP_PROVIDER_GATEWAY_URL", "http://127.0.0.1:" + ports.get("provider-gateway"));
        env.put("DEVLOOP_AGENT_SERVICE_URL", "http://127.0.0.1:" + ports.get("agent-service"));
        env.put("DEVLOOP_API_GATEWAY_URL", "http://127.0.0.1:" + ports.get("api-gateway"));
        // one machine, one key set: each service creates its key on its first start (a cluster mounts them)
        env.putIfAbsent("DEVLOOP_IDENTITY_DIR", TestCredentials.keyDir().toString());
        env.put("DEVLOOP_IDENTITY_GENERATE", "true");
        DevloopStack stack = new DevloopStack();
        stack.root = root;
        stack.logDir = workDir.resolve("logs");
        stack.env = env;
        Map<Integer, String> internal = new HashMap<>();
        ports.forEach((module, port) -> {
            if (!"api-gateway".equals(module)) { // public: its callers bring the users' JWTs
                internal.put(port, module);
            }
        });
        stack.credentials = new ServiceCredentials(internal);
        RestAssured.filters(stack.credentials);
        try {
            for (String module : MODULES) {
                stack.services.put(
                        module, ServiceProcess.start(root, module, ports.get(module), env, workDir.resolve("logs")));
            }
            for (ServiceProcess service : stack.services.values()) {
                service.awaitReady(Duration.ofSeconds(180));
            }
            return stack;
        } catch (Exception e) {
            stack.close();
            throw e;
        }
    }

    /** Kills the service as a crash would (SIGKILL, no shutdown hooks) and starts it again on its port. */
    ServiceProcess crashAndRestart(String module) throws Exception {
        ServiceProcess old = services.get(module);
        old.kill();
        ServiceProcess fresh = ServiceProcess.start(root, module, old.port, env, logDir.resolve("restarted"));
        services.put(module, fresh);
        fresh.awaitReady(Duration.ofSeconds(180));
        return fresh;
    }

    ServiceProcess service(String module) {
        return services.get(module);
    }

    List<ServiceProcess> all() {
        return new ArrayList<>(services.values());
    }

    @Override
    public void close() throws InterruptedException {
        List<ServiceProcess> reversed = new ArrayList<>(services.values());
        java.util.Collections.reverse(reversed);
        reversed.forEach(ServiceProcess::requestStop);
        for (ServiceProcess service : reversed) {
            service.close();
        }
        if (credentials != null) {
            List<Filter> others = new ArrayList<>(RestAssured.filters());
            others.remove(credentials);
            RestAssured.replaceFiltersWith(others);
            credentials = null;
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
