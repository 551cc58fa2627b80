package dev.devloop.tools.adapters.out.kubernetes;

import static dev.devloop.tools.support.Fixtures.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.fasterxml.jackson.databind.JsonNode;
import dev.devloop.tools.application.InvokeToolService;
import dev.devloop.tools.application.LogSettings;
import dev.devloop.tools.application.OperationsSettings;
import dev.devloop.tools.application.OperationsTools;
import dev.devloop.tools.application.ReadLogsTool;
import dev.devloop.tools.application.ToolExecutor;
import dev.devloop.tools.ports.in.InvocationResult;
import dev.devloop.tools.ports.in.InvokeToolCommand;
import dev.devloop.tools.ports.in.ToolRefusal;
import dev.devloop.tools.ports.out.ServiceAdminPort;
import dev.devloop.tools.support.Fixtures;
import dev.devloop.tools.support.InMemoryPorts;
import dev.devloop.tools.support.Invoker;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMixedDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.ServerRequest;
import io.fabric8.mockwebserver.ServerResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * restart_service and read_logs on Kubernetes, through the use case, against the fabric8 mock API server:
 * CRUD mode holds the Deployments and Pods (the restart test reads the patched annotation back), and
 * expectations serve the pod logs the API server would stream.
 */
class KubernetesOperationsTest {
    private static final String NS = "devloop-eu";
    private static final String OPERATOR = "ops";
    private static final Instant NOW = Instant.parse("2026-11-25T22:15:42.378Z");

    @TempDir
    Path dir;

    private final InMemoryPorts.Registry registry = new InMemoryPorts.Registry();
    private final InMemoryPorts.Audit audit = new InMemoryPorts.Audit();
    private final ExecutorService pool = Executors.newCachedThreadPool();
    private KubernetesMockServer server;
    private KubernetesClient client;
    private InvokeToolService service;

    @BeforeEach
    void setUp() {
        // CRUD mode with expectations on top, as @EnableKubernetesMockClient(crud = true) builds it
        Map<ServerRequest, Queue<ServerResponse>> expectations = new HashMap<>();
        server = new KubernetesMockServer(
                new Context(Serialization.jsonMapper()),
                new MockWebServer(),
                expectations,
                new KubernetesMixedDispatcher(expectations),
                false);
        server.init();
        client = server.createClient();
        // the client's first request loads and initialises its HTTP stack: done here, outside the tools' 10 s limit,
        // which that first request alone once exceeded on a loaded CI box
        client.pods().inNamespace(NS).list();
        KubernetesTarget target = new KubernetesTarget(NS, "devloop");
        Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
        OperationsSettings ops = new OperationsSettings(
                Set.of(OPERATOR),
                2000,
                4096,
                Map.of(),
                Map.of(),
                Set.of("agent-service", "knowledge-service"),
                "tool-service",
                60_000,
                300,
                "http://127.0.0.1:9/v1/providers/{provider}/circuit/reset",
                "provider-gateway");
        ServiceAdminPort noAdmin = (owner, method, uri, tenant, body, timeoutMs, maxBytes) -> {
            throw new AssertionError("no owner endpoint is called by these tools");
        };
        List<ToolExecutor> executors = new ArrayList<>(new OperationsTools(
                        noAdmin,
                        new KubernetesRolloutRestart(client, target, clock),
                        new InMemoryPorts.RestartLedger(),
                        ops,
                        clock)
                .executors());
        executors.add(new ReadLogsTool(
                new KubernetesPodLogs(client, target, 3, 500, 600, 1 << 20),
                new LogSettings(Set.of("agent-service", "knowledge-service"), 100, 4096, 300, 1000)));
        Fixtures.shippedTools().forEach(registry::save);
        service = Invoker.over(registry, audit, pool, clock, executors);
    }

    @AfterEach
    void tearDown() {
        client.close();
        server.destroy();
        pool.shutdownNow();
    }

    private InvocationResult call(String tenant, String tool, String args) {
        String agentType = tool.equals("read_logs") ? "diagnostic" : "repair";
        return service.invoke(new InvokeToolCommand(tenant, tool, json(args), agentType, "a-1", "run-" + tenant, null));
    }

    private static Deployment deployment(String name, String service) {
        return new DeploymentBuilder()
                .withNewMetadata()
                .withName(name)
                .withNamespace(NS)
                .addToLabels("app.kubernetes.io/name", service)
                .endMetadata()
                .withNewSpec()
                .withReplicas(2)
                .withNewSelector()
                .addToMatchLabels("app.kubernetes.io/name", service)
                .endSelector()
                .withNewTemplate()
                .withNewMetadata()
                .addToLabels("app.kubernetes.io/name", service)
                .addToAnnotations("checksum/config", "abc")
                .endMetadata()
                .withNewSpec()
                .addNewContainer()
                .withName(service)
                .withImage("devloop/" + service)
                .endContainer()
                .endSpec()
                .endTemplate()
                .endSpec()
                .build();
    }

    private static Pod pod(String name, String service, String release, String created, String... containers) {
        PodBuilder pod = new PodBuilder()
                .withNewMetadata()
                .withName(name)
                .withNamespace(NS)
                .addToLabels("app.kubernetes.io/name", service)
                .addToLabels("app.kubernetes.io/instance", release)
                .withCreationTimestamp(created)
                .endMetadata();
        var spec = pod.withNewSpec();
        for (String c : containers) {
            spec.addNewContainer().withName(c).withImage("img").endContainer();
        }
        return spec.endSpec().build();
    }

    private String restartedAt(String deployment) {
        Deployment d =
                client.apps().deployments().inNamespace(NS).withName(deployment).get();
        return d.getSpec().getTemplate().getMetadata().getAnnotations().get(KubernetesRolloutRestart.RESTARTED_AT);
    }

    @Test
    void restartPatchesTheRestartedAtAnnotationOfTheReleasesDeploymentOnly() throws InterruptedException {
        client.apps()
                .deployments()
                .inNamespace(NS)
                .resource(deployment("devloop-agent-service", "agent-service"))
                .create();
        client.apps()
                .deployments()
                .inNamespace(NS)
                .resource(deployment("other-agent-service", "agent-service"))
                .create();
        client.apps()
                .deployments()
                .inNamespace(NS)
                .resource(deployment("devloop-knowledge-service", "knowledge-service"))
                .create();

        InvocationResult result =
                call(OPERATOR, "restart_service", "{\"service\":\"agent-service\",\"reason\":\"heap\"}");
        List<String> requests = new ArrayList<>();
        RecordedRequest r;
        while ((r = server.takeRequest(10, java.util.concurrent.TimeUnit.MILLISECONDS)) != null) {
            requests.add(r.getMethod() + " " + r.getPath());
        }
        // exactly one write: the patch of the release's Deployment (the client reads it first)
        assertThat(requests.stream().filter(q -> !q.startsWith("GET ") && !q.startsWith("POST ")))
                .containsExactly("PATCH /apis/apps/v1/namespaces/" + NS + "/deployments/devloop-agent-service");

        assertThat(result.status()).as(result.error()).isEqualTo(InvocationResult.SUCCEEDED);
        assertThat(result.output().path("runner").asText()).isEqualTo("kubernetes:" + NS);
        assertThat(result.output().path("state").asText()).isEqualTo("restarting");
        assertThat(result.output().path("output").asText())
                .contains("deployment/devloop-agent-service", "kubectl.kubernetes.io/restartedAt=2026-11-25T22:15:42Z");
        // read back from the API server: the pod template annotation is set, the rest of the template kept
        assertThat(restartedAt("devloop-agent-service")).isEqualTo("2026-11-25T22:15:42Z");
        Deployment patched = client.apps()
                .deployments()
                .inNamespace(NS)
                .withName("devloop-agent-service")
                .get();
        assertThat(patched.getSpec().getTemplate().getMetadata().getAnnotations())
                .containsEntry("checksum/config", "abc");
        assertThat(patched.getSpec().getTemplate().getSpec().getContainers()).hasSize(1);
        // another release's Deployment of the same service and other services are untouched
        assertThat(restartedAt("other-agent-service")).isNull();
        assertThat(restartedAt("devloop-knowledge-service")).isNull();
    }

    @Test
    void aMissingDeploymentOrARefusedPatchFailsReadably() {
        InvocationResult missing =
                call(OPERATOR, "restart_service", "{\"service\":\"knowledge-service\",\"reason\":\"x\"}");
        assertThat(missing.status()).isEqualTo(InvocationResult.FAILED);
        assertThat(missing.error()).contains("deployment/devloop-knowledge-service", NS, "not found");

        client.apps()
                .deployments()
                .inNamespace(NS)
                .resource(deployment("devloop-agent-service", "agent-service"))
                .create();
        server.expect()
                .patch()
                .withPath("/apis/apps/v1/namespaces/" + NS + "/deployments/devloop-agent-service")
                .andReturn(
                        403,
                        "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\",\"reason\":\"Forbidden\",\"code\":403}")
                .once();
        InvocationResult forbidden =
                call(OPERATOR, "restart_service", "{\"service\":\"agent-service\",\"reason\":\"x\"}");
        assertThat(forbidden.status()).isEqualTo(InvocationResult.FAILED);
        assertThat(forbidden.error()).contains("HTTP 403", "needs 'patch' on deployments");
    }

    @Test
    void restartKeepsItsRulesOnKubernetes() {
        client.apps()
                .deployments()
                .inNamespace(NS)
                .resource(deployment("devloop-agent-service", "agent-service"))
                .create();
        Throwable notOperator = catchThrowable(
                () -> call("t-someone", "restart_service", "{\"service\":\"agent-service\",\"reason\":\"x\"}"));
        assertThat(notOperator).isInstanceOf(ToolRefusal.class).hasMessageContaining("operatorTenants");
        Throwable offList = catchThrowable(
                () -> call(OPERATOR, "restart_service", "{\"service\":\"api-gateway\",\"reason\":\"x\"}"));
        assertThat(offList).isInstanceOf(ToolRefusal.class).hasMessageContaining("restartAllowList");
        assertThat(restartedAt("devloop-agent-service")).isNull();
        assertThat(call(OPERATOR, "restart_service", "{\"service\":\"agent-service\",\"reason\":\"x\"}")
                        .status())
                .isEqualTo(InvocationResult.SUCCEEDED);
        Throwable cooldown = catchThrowable(
                () -> call(OPERATOR, "restart_service", "{\"service\":\"agent-service\",\"reason\":\"again\"}"));
        assertThat(cooldown).isInstanceOf(ToolRefusal.class).hasMessageContaining("restartCooldown");
    }

    private void serveLog(String pod, String container, String body) {
        // the query fabric8 sends for usingTimestamps().limitBytes().sinceSeconds().tailingLines(): the expectation
        // only matches (and so serves the log) when all four bounds are on the request
        String query = "?pretty=false" + (container == null ? "" : "&container=" + container)
                + "&sinceSeconds=600&tailLines=500&limitBytes=1048576&timestamps=true";
        server.expect()
                .get()
                .withPath("/api/v1/namespaces/" + NS + "/pods/" + pod + "/log" + query)
                .andReturn(200, body)
                .always();
    }

    @Test
    void readLogsMergesTheServicesPodsByTimeAndFiltersLikeTheLocalFiles() {
        client.pods()
                .inNamespace(NS)
                .resource(pod("as-1", "agent-service", "devloop", "2026-11-25T20:00:00Z", "agent-service"))
                .create();
        client.pods()
                .inNamespace(NS)
                .resource(
                        pod("as-2", "agent-service", "devloop", "2026-11-25T21:00:00Z", "agent-service", "istio-proxy"))
                .create();
        client.pods()
                .inNamespace(NS)
                .resource(pod("ks-1", "knowledge-service", "devloop", "2026-11-25T20:00:00Z", "knowledge-service"))
                .create();
        client.pods()
                .inNamespace(NS)
                .resource(pod("as-other", "agent-service", "other", "2026-11-25T20:00:00Z", "agent-service"))
                .create();
        serveLog("as-1", null, """
        2026-11-25T22:00:01.5Z 2026-11-25 22:00:01,500 INFO  [dev.devloop.agents.Loop] (main) run r-1 started
        2026-11-25T22:00:03.000000001Z 2026-11-25 22:00:03,000 ERROR [dev.devloop.agents.Loop] (main) run r-1 failed: boom
        2026-11-25T22:00:03.000000002Z \tat dev.devloop.agents.Loop.step(Loop.java:42)
        """);
        serveLog("as-2", "agent-service", """
        2026-11-25T22:00:02.25Z {"timestamp":"2026-11-25T22:00:02.25Z","level":"WARN","loggerName":"dev.devloop.agents.Budget","message":"run r-2 near its budget"}
        2026-11-25T22:00:04Z {"timestamp":"2026-11-25T22:00:04Z","level":"INFO","loggerName":"dev.devloop.agents.Loop","message":"run r-2 done"}
        """);
        serveLog("as-other", null, "2026-11-25T22:00:00Z 2026-11-25 22:00:00,000 ERROR [x] (main) another release\n");
        serveLog("ks-1", null, "2026-11-25T22:00:00Z 2026-11-25 22:00:00,000 ERROR [x] (main) another service\n");

        InvocationResult all = call("t-diag", "read_logs", "{\"service\":\"agent-service\"}");
        assertThat(all.status()).as(all.error()).isEqualTo(InvocationResult.SUCCEEDED);
        JsonNode lines = all.output().path("lines");
        List<String> messages = new ArrayList<>();
        lines.forEach(l ->
                messages.add(l.path("level").asText() + " " + l.path("message").asText()));
        assertThat(messages)
                .containsExactly(
                        "INFO run r-1 started",
                        "WARN run r-2 near its budget",
                        "ERROR run r-1 failed: boom",
                        "ERROR \tat dev.devloop.agents.Loop.step(Loop.java:42)",
                        "INFO run r-2 done");
        assertThat(lines.get(1).path("logger").asText()).isEqualTo("dev.devloop.agents.Budget");

        InvocationResult warnings = call(
                "t-diag",
                "read_logs",
                "{\"service\":\"agent-service\",\"level\":\"WARN\",\"contains\":\"r-[12]\",\"lines\":2}");
        List<String> kept = new ArrayList<>();
        warnings.output().path("lines").forEach(l -> kept.add(l.path("message").asText()));
        assertThat(kept).containsExactly("run r-2 near its budget", "run r-1 failed: boom");
    }

    @Test
    void readLogsWithoutPodsOrWithUnreadablePodsFailsReadably() {
        InvocationResult none = call("t-diag", "read_logs", "{\"service\":\"knowledge-service\"}");
        assertThat(none.status()).isEqualTo(InvocationResult.FAILED);
        assertThat(none.error()).isEqualTo("no pod of 'knowledge-service' in namespace " + NS);

        client.pods()
                .inNamespace(NS)
                .resource(pod("ks-1", "knowledge-service", "devloop", "2026-11-25T20:00:00Z", "knowledge-service"))
                .create();
        server.expect()
                .get()
                .withPath(
                        "/api/v1/namespaces/" + NS
                                + "/pods/ks-1/log?pretty=false&sinceSeconds=600&tailLines=500&limitBytes=1048576&timestamps=true")
                .andReturn(400, "{\"kind\":\"Status\",\"code\":400,\"message\":\"container is waiting to start\"}")
                .always();
        InvocationResult waiting = call("t-diag", "read_logs", "{\"service\":\"knowledge-service\"}");
        assertThat(waiting.status()).isEqualTo(InvocationResult.FAILED);
        assertThat(waiting.error()).contains("cannot be read from ks-1 (HTTP 400)");
    }

    @Test
    void theRingKeepsTheNewestBytesAndDropsThePartialFirstLine() throws Exception {
        byte[] log = "line-1\nline-2\nline-3\nline-4\n".getBytes(StandardCharsets.UTF_8);
        var all = KubernetesPodLogs.lastBytes(new ByteArrayInputStream(log), 100, 1000);
        assertThat(new String(all.bytes(), StandardCharsets.UTF_8)).isEqualTo("line-1\nline-2\nline-3\nline-4\n");
        assertThat(all.cut()).isFalse();
        var tail = KubernetesPodLogs.lastBytes(new ByteArrayInputStream(log), 10, 1000);
        assertThat(new String(tail.bytes(), StandardCharsets.UTF_8)).isEqualTo("line-4\n");
        assertThat(tail.cut()).isTrue();
        var ceiling = KubernetesPodLogs.lastBytes(new ByteArrayInputStream(log), 100, 14);
        assertThat(new String(ceiling.bytes(), StandardCharsets.UTF_8)).isEqualTo("line-1\nline-2\n");
        assertThat(ceiling.cut()).isTrue();
    }

    @Test
    void theTargetFollowsTheChartsNamingAndFindsItsNamespace() throws Exception {
        assertThat(new KubernetesTarget(NS, "devloop").deploymentName("agent-service"))
                .isEqualTo("devloop-agent-service");
        assertThat(new KubernetesTarget(NS, null).deploymentName("agent-service"))
                .isEqualTo("agent-service");
        assertThat(new KubernetesTarget(NS, "r".repeat(60)).deploymentName("agent-service"))
                .hasSize(63)
                .doesNotEndWith("-");
        assertThat(new KubernetesTarget(NS, "devloop").podLabels("agent-service"))
                .isEqualTo(Map.of("app.kubernetes.io/name", "agent-service", "app.kubernetes.io/instance", "devloop"));
        Path file = dir.resolve("namespace");
        Files.writeString(file, "cell-us-1\n");
        assertThat(KubernetesTarget.resolveNamespace(Optional.of("configured"), file, "kube"))
                .isEqualTo("configured");
        assertThat(KubernetesTarget.resolveNamespace(Optional.empty(), file, "kube"))
                .isEqualTo("cell-us-1");
        assertThat(KubernetesTarget.resolveNamespace(Optional.empty(), dir.resolve("absent"), "kube"))
                .isEqualTo("kube");
        assertThatThrownBy(() -> KubernetesTarget.resolveNamespace(Optional.empty(), dir.resolve("absent"), null))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("needs a namespace");
        assertThatThrownBy(() -> new KubernetesTarget("Not_A_Namespace", null))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
