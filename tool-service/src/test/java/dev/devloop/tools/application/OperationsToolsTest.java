package dev.devloop.tools.application;

import static dev.devloop.tools.support.Fixtures.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.sun.net.httpserver.HttpServer;
import dev.devloop.contracts.identity.CallerIdentity;
import dev.devloop.contracts.identity.IdentityRefusal;
import dev.devloop.contracts.identity.ServiceKeys;
import dev.devloop.contracts.identity.ServiceTokenVerifier;
import dev.devloop.contracts.identity.ServiceTokens;
import dev.devloop.contracts.problem.ProblemException;
import dev.devloop.tools.adapters.out.http.JdkServiceAdmin;
import dev.devloop.tools.adapters.out.runner.LocalCommandRunner;
import dev.devloop.tools.domain.AuditEntry;
import dev.devloop.tools.domain.InvocationOutcome;
import dev.devloop.tools.domain.SettingSpec;
import dev.devloop.tools.ports.in.InvocationResult;
import dev.devloop.tools.ports.in.InvokeToolCommand;
import dev.devloop.tools.support.Fixtures;
import dev.devloop.tools.support.InMemoryPorts;
import dev.devloop.tools.support.Invoker;
import dev.devloop.tools.support.Refusals;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * clear_cache, update_config, restart_service and reset_circuit through the use case: the owners' admin endpoints are a
 * real HTTP server this test controls, which verifies each call's credential as provider-gateway and knowledge-service
 * would (keys in a key dir of its own); the runner a real script run without a shell.
 */
class OperationsToolsTest {
    private static final String OPERATOR = "ops";

    @TempDir
    Path dir;

    private final InMemoryPorts.Registry registry = new InMemoryPorts.Registry();
    private final InMemoryPorts.Audit audit = new InMemoryPorts.Audit();
    private final ExecutorService pool = Executors.newCachedThreadPool();
    private final List<String> ownerCalls = Collections.synchronizedList(new ArrayList<>());
    private final InMemoryPorts.RestartLedger restarts = new InMemoryPorts.RestartLedger();
    private HttpServer owner;
    private InvokeToolService service;

    @BeforeEach
    void setUp() throws IOException {
        Path keys = dir.resolve("identity");
        ServiceTokens tokens =
                new ServiceTokens(ServiceKeys.open(keys, "tool-service", true), "devloop-cell", Duration.ofSeconds(60));
        Map<String, ServiceTokenVerifier> owners = new java.util.TreeMap<>();
        for (String service : List.of("provider-gateway", "knowledge-service")) {
            owners.put(
                    service, new ServiceTokenVerifier(ServiceKeys.open(keys, service, true), "devloop-cell", service));
        }
        owner = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        owner.createContext("/v1/", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            ownerCalls.add(
                    exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath() + " tenant="
                            + exchange.getRequestHeaders().getFirst("X-Devloop-Tenant") + " "
                            + signed(owners, exchange.getRequestHeaders().getFirst("Authorization")) + " " + body);
            String path = exchange.getRequestURI().getPath();
            int status;
            String answer;
            if (path.equals("/v1/cache")) {
                status = 200;
                answer = "{\"cache\":\"provider-responses\",\"dropped\":3}";
            } else if (path.equals("/v1/settings/response-cache-ttl-seconds")) {
                status = 200;
                answer = "{\"setting\":\"response-cache-ttl-seconds\",\"previous\":3600,\"value\":"
                        + json(body).get("value") + "}";
            } else if (path.equals("/v1/providers/openai/circuit/reset")) {
                status = 200;
                answer = "{\"provider\":\"openai\",\"before\":\"OPEN\",\"after\":\"CLOSED\"}";
            } else if (path.equals("/v1/providers/ghost/circuit/reset")) {
                status = 404;
                answer =
                        "{\"type\":\"https://devloop.dev/problems/unknown-provider\",\"status\":404,\"detail\":\"no provider 'ghost'\"}";
            } else if (path.equals("/v1/providers/anthropic/circuit/reset")) {
                status = 500;
                answer =
                        "{\"type\":\"https://devloop.dev/problems/internal\",\"status\":500,\"detail\":\"breaker registry unavailable\"}";
            } else if (path.equals("/v1/settings/broken")) {
                status = 503;
                answer =
                        "{\"type\":\"https://devloop.dev/problems/store-unavailable\",\"status\":503,\"detail\":\"redis is down\"}";
            } else {
                status = 404;
                answer = "";
            }
            byte[] bytes = answer.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        });
        owner.start();
        String base = "http://127.0.0.1:" + owner.getAddress().getPort();

        Path script = dir.resolve("runner.sh");
        Files.writeString(script, """
        #!/bin/sh
        echo "$@" >> "%s"
        echo "restarting $2"
        case "$2" in
          agent-service) echo "agent-service is not built" >&2; exit 3 ;;
          provider-gateway) sleep 5 ;;
        esac
        exit 0
        """.formatted(dir.resolve("calls.txt")));
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));

        Map<String, OperationsSettings.Endpoint> caches = Map.of(
                "provider-responses",
                new OperationsSettings.Endpoint("provider-gateway", "DELETE", URI.create(base + "/v1/cache")),
                "knowledge-reads",
                new OperationsSettings.Endpoint("knowledge-service", "DELETE", URI.create(base + "/v1/not-built")));
        Map<String, OperationsSettings.Setting> settings = Map.of(
                "provider-gateway.response-cache-ttl-seconds",
                        new OperationsSettings.Setting(
                                new SettingSpec(
                                        "provider-gateway.response-cache-ttl-seconds",
                                        SettingSpec.Type.INTEGER,
                                        0L,
                                        86_400L,
                                        null,
                                        256,
                                        false),
                                new OperationsSettings.Endpoint(
                                        "provider-gateway",
                                        "PUT",
                                        URI.create(base + "/v1/settings/response-cache-ttl-seconds"))),
                "provider-gateway.default-provider",
                        new OperationsSettings.Setting(
                                new SettingSpec(
                                        "provider-gateway.default-provider",
                                        SettingSpec.Type.ENUM,
                                        null,
                                        null,
                                        List.of("openai", "anthropic"),
                                        256,
                                        true),
                                new OperationsSettings.Endpoint(
                                        "provider-gateway", "PUT", URI.create(base + "/v1/settings/broken"))));
        OperationsSettings ops = new OperationsSettings(
                Set.of(OPERATOR),
                2000,
                4096,
                caches,
                settings,
                Set.of("knowledge-service", "agent-service", "provider-gateway"),
                "tool-service",
                60_000,
                300,
                base + "/v1/providers/{provider}/circuit/reset",
                "provider-gateway");
        Fixtures.shippedTools().forEach(registry::save);
        service = Invoker.over(
                registry,
                audit,
                pool,
                new OperationsTools(
                                new JdkServiceAdmin(1000, tokens),
                                new LocalCommandRunner(List.of(script.toString(), "restart"), 2000),
                                restarts,
                                ops,
                                Clock.systemUTC())
                        .executors());
    }

    /** {@code signed=<caller>-><owner>@<tenant>} for the owner whose verifier accepts the credential. */
    private static String signed(Map<String, ServiceTokenVerifier> owners, String authorization) {
        String refusal = "no owner";
        for (Map.Entry<String, ServiceTokenVerifier> owner : owners.entrySet()) {
            try {
                CallerIdentity caller = owner.getValue().verify(authorization);
                return "signed=" + caller.service() + "->" + owner.getKey() + "@" + caller.tenant();
            } catch (IdentityRefusal e) {
                refusal = e.getMessage();
            }
        }
        return "refused=" + refusal;
    }

    @AfterEach
    void tearDown() {
        owner.stop(0);
        pool.shutdownNow();
    }

    private InvocationResult call(String tenant, String tool, String args) {
        return call(tenant, tool, args, "repair");
    }

    private InvocationResult call(String tenant, String tool, String args, String agentType) {
        return service.invoke(new InvokeToolCommand(tenant, tool, json(args), agentType, "a-1", "run-" + tenant, null));
    }

    private ProblemException refused(String tenant, String tool, String args) {
        Throwable t = catchThrowable(() -> call(tenant, tool, args));
        return Refusals.asProblem(t);
    }

    @Test
    void clearCacheCallsTheOwnerWithTheTenant() {
        String tenant = Fixtures.tenant();
        InvocationResult result =
                call(tenant, "clear_cache", "{\"cache\":\"provider-responses\",\"reason\":\"stale answers\"}");

        assertThat(result.status()).isEqualTo(InvocationResult.SUCCEEDED);
        assertThat(result.output().path("owner").path("dropped").asInt()).isEqualTo(3);
        assertThat(ownerCalls).singleElement().satisfies(c -> assertThat(c)
                .startsWith(
                        "DELETE /v1/cache tenant=" + tenant + " signed=tool-service->provider-gateway@" + tenant + " ")
                .contains("\"reason\":\"stale answers\""));
    }

    @Test
    void unknownCachesAreDeniedAndAMissingOwnerEndpointFailsReadably() {
        String tenant = Fixtures.tenant();
        ProblemException denied = refused(tenant, "clear_cache", "{\"cache\":\"redis-all\"}");
        assertThat(denied.problem().status()).isEqualTo(403);
        assertThat(denied.problem().detail()).startsWith("denied by rule cacheAllowList");

        InvocationResult notBuilt = call(tenant, "clear_cache", "{\"cache\":\"knowledge-reads\"}");
        assertThat(notBuilt.status()).isEqualTo(InvocationResult.FAILED);
        assertThat(notBuilt.error()).contains("the owner has no such endpoint (DELETE /v1/not-built answered 404)");
        // signed for the cache's owner, not for the service the other admin endpoints belong to
        assertThat(ownerCalls).singleElement().satisfies(c -> assertThat(c)
                .startsWith("DELETE /v1/not-built tenant=" + tenant + " signed=tool-service->knowledge-service@"
                        + tenant + " "));
        assertThat(audit.recorded)
                .extracting(AuditEntry::outcome)
                .containsExactly(InvocationOutcome.DENIED, InvocationOutcome.FAILED);
    }

    @Test
    void updateConfigValidatesTheTypedValueThenAppliesItThroughTheOwner() {
        String tenant = Fixtures.tenant();
        InvocationResult result = call(
                tenant, "update_config", "{\"setting\":\"provider-gateway.response-cache-ttl-seconds\",\"value\":120}");
        assertThat(result.status()).isEqualTo(InvocationResult.SUCCEEDED);
        assertThat(result.output().path("previous").asInt()).isEqualTo(3600);
        assertThat(result.output().path("value").asInt()).isEqualTo(120);
        assertThat(result.output().path("scope").asText()).isEqualTo("tenant");
        assertThat(ownerCalls).singleElement().satisfies(c -> assertThat(c)
                .startsWith("PUT /v1/settings/response-cache-ttl-seconds tenant=" + tenant
                        + " signed=tool-service->provider-gateway@" + tenant + " ")
                .contains("\"value\":120"));

        for (String bad : List.of("86401", "-1", "\"120\"", "1.5", "true")) {
            ProblemException e = refused(
                    tenant,
                    "update_config",
                    "{\"setting\":\"provider-gateway.response-cache-ttl-seconds\",\"value\":" + bad + "}");
            assertThat(e.problem().status()).as(bad).isEqualTo(400);
            assertThat(e.problem().field()).isEqualTo("value");
        }
        assertThat(ownerCalls).hasSize(1);
    }

    @Test
    void settingsOffTheAllowListOrPlatformWideAreDenied() {
        String tenant = Fixtures.tenant();
        ProblemException unknown =
                refused(tenant, "update_config", "{\"setting\":\"agent-service.hard-max-turns\",\"value\":1000}");
        assertThat(unknown.problem().detail()).startsWith("denied by rule settingAllowList");
        ProblemException platform = refused(
                tenant, "update_config", "{\"setting\":\"provider-gateway.default-provider\",\"value\":\"openai\"}");
        assertThat(platform.problem().status()).isEqualTo(403);
        assertThat(platform.problem().detail()).startsWith("denied by rule operatorTenants");
        ProblemException badEnum = refused(
                OPERATOR, "update_config", "{\"setting\":\"provider-gateway.default-provider\",\"value\":\"evil\"}");
        assertThat(badEnum.problem().field()).isEqualTo("value");
        InvocationResult ownerDown = call(
                OPERATOR, "update_config", "{\"setting\":\"provider-gateway.default-provider\",\"value\":\"openai\"}");
        assertThat(ownerDown.status()).isEqualTo(InvocationResult.FAILED);
        assertThat(ownerDown.error()).contains("the owner answered 503: redis is down");
        assertThat(refused(tenant, "update_config", "{\"setting\":\"Provider Gateway\",\"value\":1}")
                        .problem()
                        .field())
                .isEqualTo("setting");
    }

    @Test
    void restartRunsTheRunnerWithTheServiceAsOneArgument() throws IOException {
        InvocationResult result =
                call(OPERATOR, "restart_service", "{\"service\":\"knowledge-service\",\"reason\":\"heap exhausted\"}");

        assertThat(result.status()).isEqualTo(InvocationResult.SUCCEEDED);
        assertThat(result.output().path("state").asText()).isEqualTo("restarted");
        assertThat(result.output().path("output").asText()).isEqualTo("restarting knowledge-service");
        assertThat(Files.readAllLines(dir.resolve("calls.txt"))).containsExactly("restart knowledge-service");
    }

    @Test
    void aSecondRestartWithinTheCooldownIsDenied() {
        call(OPERATOR, "restart_service", "{\"service\":\"knowledge-service\",\"reason\":\"first\"}");
        ProblemException e =
                refused(OPERATOR, "restart_service", "{\"service\":\"knowledge-service\",\"reason\":\"again\"}");
        assertThat(e.problem().status()).isEqualTo(403);
        assertThat(e.problem().detail()).startsWith("denied by rule restartCooldown");
    }

    @Test
    void aFailingOrSlowRunnerIsReported() {
        InvocationResult failed =
                call(OPERATOR, "restart_service", "{\"service\":\"agent-service\",\"reason\":\"stuck\"}");
        assertThat(failed.status()).isEqualTo(InvocationResult.FAILED);
        assertThat(failed.error()).contains("(exit 3)").contains("agent-service is not built");

        InvocationResult slow =
                call(OPERATOR, "restart_service", "{\"service\":\"provider-gateway\",\"reason\":\"stuck\"}");
        assertThat(slow.status()).isEqualTo(InvocationResult.SUCCEEDED);
        assertThat(slow.output().path("state").asText()).isEqualTo("restarting");
    }

    @ParameterizedTest
    @ValueSource(strings = {"knowledge-service; rm -rf /", "$(reboot)", "knowledge-service --all", "../deploy", ""})
    void serviceNamesCannotCarryShellOrOptions(String service) throws IOException {
        ProblemException e = refused(
                OPERATOR, "restart_service", "{\"service\":\"" + service.replace("\"", "") + "\",\"reason\":\"x\"}");
        assertThat(e.problem().status()).isEqualTo(400);
        assertThat(e.problem().field()).isEqualTo("service");
        assertThat(Files.exists(dir.resolve("calls.txt"))).isFalse();
    }

    @Test
    void restartIsForOperatorTenantsAndAllowListedServicesOnly() {
        assertThat(refused(Fixtures.tenant(), "restart_service", "{\"service\":\"knowledge-service\",\"reason\":\"x\"}")
                        .problem()
                        .detail())
                .startsWith("denied by rule operatorTenants");
        assertThat(refused(OPERATOR, "restart_service", "{\"service\":\"api-gateway\",\"reason\":\"x\"}")
                        .problem()
                        .detail())
                .startsWith("denied by rule restartAllowList");
        assertThat(refused(OPERATOR, "restart_service", "{\"service\":\"tool-service\",\"reason\":\"x\"}")
                        .problem()
                        .detail())
                .startsWith("denied by rule selfRestart");
        assertThat(refused(OPERATOR, "restart_service", "{\"service\":\"knowledge-service\"}")
                        .problem()
                        .field())
                .isEqualTo("reason");
        Throwable diagnostic = catchThrowable(() -> call(
                OPERATOR, "restart_service", "{\"service\":\"knowledge-service\",\"reason\":\"x\"}", "diagnostic"));
        assertThat(Refusals.asProblem(diagnostic).problem().detail()).startsWith("denied by rule allowedAgentTypes");
        assertThat(restarts.last).isEmpty();
        assertThat(audit.recorded)
                .extracting(AuditEntry::rule)
                .containsExactly("operatorTenants", "restartAllowList", "selfRestart", "schema", "allowedAgentTypes");
    }

    @Test
    void resetCircuitAsksProviderGatewayWithTheTenantAndReportsBothStates() {
        InvocationResult result =
                call(OPERATOR, "reset_circuit", "{\"provider\":\"openai\",\"reason\":\"outage over\"}");

        assertThat(result.status()).isEqualTo(InvocationResult.SUCCEEDED);
        assertThat(result.output().path("provider").asText()).isEqualTo("openai");
        assertThat(result.output().path("before").asText()).isEqualTo("OPEN");
        assertThat(result.output().path("after").asText()).isEqualTo("CLOSED");
        assertThat(ownerCalls).singleElement().satisfies(c -> assertThat(c)
                .startsWith("POST /v1/providers/openai/circuit/reset tenant=" + OPERATOR
                        + " signed=tool-service->provider-gateway@" + OPERATOR + " ")
                .contains("\"reason\":\"outage over\""));
    }

    @Test
    void resetCircuitReportsAnUnknownProviderAndTheOwnersProblem() {
        InvocationResult unknown = call(OPERATOR, "reset_circuit", "{\"provider\":\"ghost\",\"reason\":\"x\"}");
        assertThat(unknown.status()).isEqualTo(InvocationResult.FAILED);
        assertThat(unknown.error()).isEqualTo("provider-gateway has no provider 'ghost'");

        InvocationResult broken = call(OPERATOR, "reset_circuit", "{\"provider\":\"anthropic\",\"reason\":\"x\"}");
        assertThat(broken.status()).isEqualTo(InvocationResult.FAILED);
        assertThat(broken.error()).contains("the owner answered 500: breaker registry unavailable");
        assertThat(ownerCalls).hasSize(2);
    }

    @Test
    void resetCircuitIsForOperatorTenantsOnly() {
        ProblemException e = refused(Fixtures.tenant(), "reset_circuit", "{\"provider\":\"openai\",\"reason\":\"x\"}");
        assertThat(e.problem().status()).isEqualTo(403);
        assertThat(e.problem().detail()).startsWith("denied by rule operatorTenants");
        assertThat(e.problem().field()).isEqualTo("provider");
        Throwable diagnostic = catchThrowable(
                () -> call(OPERATOR, "reset_circuit", "{\"provider\":\"openai\",\"reason\":\"x\"}", "diagnostic"));
        assertThat(Refusals.asProblem(diagnostic).problem().detail()).startsWith("denied by rule allowedAgentTypes");
        assertThat(ownerCalls).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"../admin", "OpenAI", "openai/../../v1/cache", "open ai", "openai?x=1", ""})
    void providerNamesCannotReachAnotherPath(String provider) {
        ProblemException e = refused(OPERATOR, "reset_circuit", "{\"provider\":\"" + provider + "\",\"reason\":\"x\"}");
        assertThat(e.problem().status()).isEqualTo(400);
        assertThat(e.problem().field()).isEqualTo("provider");
        assertThat(ownerCalls).isEmpty();
    }

    @Test
    void resetCircuitIsLimitedToFiveCallsPerRun() {
        for (int i = 0; i < 5; i++) {
            assertThat(call(OPERATOR, "reset_circuit", "{\"provider\":\"openai\",\"reason\":\"x\"}")
                            .status())
                    .isEqualTo(InvocationResult.SUCCEEDED);
        }
        ProblemException sixth = refused(OPERATOR, "reset_circuit", "{\"provider\":\"openai\",\"reason\":\"x\"}");
        assertThat(sixth.problem().status()).isEqualTo(403);
        assertThat(sixth.problem().detail()).startsWith("denied by rule maxCallsPerRun");
        assertThat(ownerCalls).hasSize(5);
    }
}
