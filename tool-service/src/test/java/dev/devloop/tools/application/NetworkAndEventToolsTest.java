package dev.devloop.tools.application;

import static dev.devloop.tools.support.Fixtures.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.devloop.contracts.problem.ProblemException;
import dev.devloop.tools.domain.AuditEntry;
import dev.devloop.tools.domain.InvocationOutcome;
import dev.devloop.tools.domain.MetricsSummaryTest;
import dev.devloop.tools.domain.NetworkEndpoint;
import dev.devloop.tools.ports.in.InvocationResult;
import dev.devloop.tools.ports.in.InvokeToolCommand;
import dev.devloop.tools.ports.out.NetworkPort.HttpAnswer;
import dev.devloop.tools.support.Fixtures;
import dev.devloop.tools.support.InMemoryPorts;
import dev.devloop.tools.support.Invoker;
import dev.devloop.tools.support.Refusals;
import java.net.InetAddress;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** check_connectivity, analyze_metrics and publish_event through the use case, with a scripted network. */
class NetworkAndEventToolsTest {
    private final InMemoryPorts.Registry registry = new InMemoryPorts.Registry();
    private final InMemoryPorts.Audit audit = new InMemoryPorts.Audit();
    private final InMemoryPorts.Network network = new InMemoryPorts.Network();
    private final InMemoryPorts.Publisher publisher = new InMemoryPorts.Publisher();
    private final ExecutorService pool = Executors.newCachedThreadPool();
    private final String tenant = Fixtures.tenant();
    private InvokeToolService service;

    @BeforeEach
    void setUp() {
        Fixtures.shippedTools().forEach(registry::save);
        network.host("127.0.0.1", "127.0.0.1")
                .host("status.example.org", "93.184.216.34")
                .host("rebind.example.org", "10.0.0.7")
                .host("meta.example.org", "169.254.169.254")
                .host("mixed.example.org", "93.184.216.34", "127.0.0.1")
                .host("mapped.example.org", "::ffff:192.168.0.1")
                .host("docs.example.org", "203.0.113.5")
                .host("bench.example.org", "198.18.0.1")
                .host("shared.example.org", "100.64.0.1")
                .host("v6docs.example.org", "2001:db8::1")
                .host("nat64.example.org", "64:ff9b::a00:1")
                .host("multicast.example.org", "239.1.2.3")
                .rebinding("flip.example.org", "93.184.216.34", "127.0.0.1");
        Map<String, URI> services = Map.of("knowledge-service", URI.create("http://127.0.0.1:8082"));
        NetworkSettings settings = new NetworkSettings(
                Map.of(
                        "knowledge-service",
                        new NetworkEndpoint("knowledge-service", "127.0.0.1", 8082, "http"),
                        "redis",
                        new NetworkEndpoint("redis", "127.0.0.1", 6379, "tcp")),
                services,
                Set.of(
                        "status.example.org",
                        "rebind.example.org",
                        "meta.example.org",
                        "mixed.example.org",
                        "mapped.example.org",
                        "docs.example.org",
                        "bench.example.org",
                        "shared.example.org",
                        "v6docs.example.org",
                        "nat64.example.org",
                        "multicast.example.org",
                        "flip.example.org"),
                Set.of(443, 80),
                1000,
                1_000_000,
                10);
        List<ToolExecutor> executors = new ArrayList<>(new NetworkTools(network, settings).executors());
        executors.add(new PublishEventTool(publisher, Set.of("devloop.system.health")));
        service = Invoker.over(registry, audit, pool, executors);
    }

    @AfterEach
    void tearDown() {
        pool.shutdownNow();
    }

    private InvocationResult call(String tool, String args) {
        return service.invoke(new InvokeToolCommand(tenant, tool, json(args), "diagnostic", "agent-1", "run-1", null));
    }

    private ProblemException refused(String tool, String args) {
        Throwable t = catchThrowable(() -> call(tool, args));
        return Refusals.asProblem(t);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "127.0.0.1",
                "localhost",
                "169.254.169.254",
                "metadata.google.internal",
                "10.0.0.1",
                "evil.example.org"
            })
    void targetsOffTheAllowListAreDeniedWithoutTouchingTheNetwork(String target) {
        ProblemException e = refused("check_connectivity", "{\"target\":\"" + target + "\"}");
        assertThat(e.problem().status()).isEqualTo(403);
        assertThat(e.problem().detail()).startsWith("denied by rule networkAllowList");
        assertThat(network.probes).isEmpty();
        assertThat(audit.recorded).singleElement().satisfies(a -> {
            assertThat(a.outcome()).isEqualTo(InvocationOutcome.DENIED);
            assertThat(a.rule()).isEqualTo("networkAllowList");
        });
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "rebind.example.org",
                "meta.example.org",
                "mixed.example.org",
                "mapped.example.org",
                "docs.example.org",
                "bench.example.org",
                "shared.example.org",
                "v6docs.example.org",
                "nat64.example.org",
                "multicast.example.org"
            })
    void allowListedHostsResolvingToInternalRangesAreDenied(String target) {
        ProblemException e = refused("check_connectivity", "{\"target\":\"" + target + "\",\"protocol\":\"http\"}");
        assertThat(e.problem().status()).isEqualTo(403);
        assertThat(e.problem().detail()).startsWith("denied by rule ssrf");
        assertThat(network.probes).isEmpty();
        assertThat(audit.recorded).extracting(AuditEntry::rule).containsExactly("ssrf");
    }

    @ParameterizedTest
    @CsvSource({
        "knowledge-service, 22, http, port",
        "knowledge-service, 6379, , port",
        "knowledge-service, 8082, tcp, protocol",
        "redis, 6380, tcp, port",
        "redis, 6379, http, protocol",
        "redis, 8082, , port"
    })
    void aConfiguredEndpointOpensOnlyItsOwnPortAndProtocol(String target, int port, String protocol, String field) {
        String args = "{\"target\":\"" + target + "\",\"port\":" + port
                + (protocol == null ? "" : ",\"protocol\":\"" + protocol + "\"") + "}";
        ProblemException e = refused("check_connectivity", args);

        assertThat(e.problem().status()).isEqualTo(403);
        assertThat(e.problem().detail())
                .startsWith("denied by rule networkEndpoint")
                .contains("'" + target + "'");
        assertThat(e.problem().field()).isEqualTo(field);
        assertThat(network.probes).isEmpty();
        assertThat(network.lookups).isEmpty();
        assertThat(audit.recorded).singleElement().satisfies(a -> {
            assertThat(a.outcome()).isEqualTo(InvocationOutcome.DENIED);
            assertThat(a.rule()).isEqualTo("networkEndpoint");
        });
    }

    @Test
    void aConfiguredServerIsProbedOnItsPortAndProtocol() {
        InvocationResult defaulted = call("check_connectivity", "{\"target\":\"redis\"}");
        InvocationResult explicit =
                call("check_connectivity", "{\"target\":\"redis\",\"port\":6379,\"protocol\":\"tcp\"}");

        assertThat(defaulted.output().path("protocol").asText()).isEqualTo("tcp");
        assertThat(explicit.output().path("reachable").asBoolean()).isTrue();
        assertThat(network.probes).containsExactly("tcp 127.0.0.1:6379", "tcp 127.0.0.1:6379");
    }

    @Test
    void anUnconfiguredEndpointIsRefused() {
        ProblemException e = refused("check_connectivity", "{\"target\":\"postgres\",\"port\":5432}");
        assertThat(e.problem().detail())
                .startsWith("denied by rule networkAllowList")
                .contains("[knowledge-service, redis]");
        assertThat(network.probes).isEmpty();
    }

    @Test
    void anAllowListedHostIsProbedOnlyOnTheAllowedPorts() {
        ProblemException e = refused("check_connectivity", "{\"target\":\"status.example.org\",\"port\":22}");
        assertThat(e.problem().detail()).startsWith("denied by rule networkEndpoint");
        assertThat(audit.recorded).extracting(AuditEntry::rule).containsExactly("networkEndpoint");
        assertThat(network.probes).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"tcp", "http"})
    void theProbeGoesToTheAddressThatWasCheckedNotToASecondLookup(String protocol) {
        InvocationResult result = call(
                "check_connectivity",
                "{\"target\":\"flip.example.org\",\"port\":80,\"protocol\":\"" + protocol + "\"}");

        assertThat(result.output().path("address").asText()).isEqualTo("93.184.216.34");
        assertThat(network.lookups).containsExactly("flip.example.org");
        assertThat(network.probes)
                .singleElement()
                .isEqualTo(
                        protocol.equals("tcp")
                                ? "tcp 93.184.216.34:80"
                                : "GET http://flip.example.org:80/ @93.184.216.34");
        // the name now answers loopback: a second lookup would have reached it
        assertThat(network.resolve("flip.example.org"))
                .extracting(InetAddress::getHostAddress)
                .containsExactly("127.0.0.1");
    }

    @Test
    void aPublicAllowListedHostIsProbedOnTheResolvedAddress() {
        InvocationResult tcp = call("check_connectivity", "{\"target\":\"status.example.org\",\"port\":443}");
        assertThat(tcp.output().path("reachable").asBoolean()).isTrue();
        assertThat(network.probes).containsExactly("tcp 93.184.216.34:443");
    }

    @Test
    void aDevloopServiceIsProbedByNameAndRedirectsAreNotFollowed() {
        network.answers.put(
                "http://127.0.0.1:8082/q/health/live",
                new HttpAnswer(302, "http://169.254.169.254/latest/meta-data/", "", false));
        InvocationResult result = call("check_connectivity", "{\"target\":\"knowledge-service\"}");

        assertThat(result.output().path("status").asInt()).isEqualTo(302);
        assertThat(result.output().path("redirectFollowed").asBoolean(true)).isFalse();
        assertThat(network.probes).containsExactly("GET http://127.0.0.1:8082/q/health/live @127.0.0.1");
    }

    @Test
    void anUnreachableServiceIsReportedNotThrown() {
        InvocationResult result = call("check_connectivity", "{\"target\":\"knowledge-service\"}");
        assertThat(result.status()).isEqualTo(InvocationResult.SUCCEEDED);
        assertThat(result.output().path("reachable").asBoolean()).isFalse();
        assertThat(result.output().path("error").asText()).contains("ConnectException");
    }

    @Test
    void analyzeMetricsSummarisesAServicesMetrics() {
        network.answers.put(
                "http://127.0.0.1:8082/q/metrics", new HttpAnswer(200, null, MetricsSummaryTest.PAGE, false));
        InvocationResult result = call("analyze_metrics", "{\"service\":\"knowledge-service\"}");

        assertThat(result.status()).isEqualTo(InvocationResult.SUCCEEDED);
        assertThat(result.output().path("httpRequests").asDouble()).isEqualTo(100);
        assertThat(result.output().path("findings").toString()).contains("10 of 100 HTTP requests failed with 5xx");
        assertThat(refused("analyze_metrics", "{\"service\":\"billing\"}")
                        .problem()
                        .detail())
                .startsWith("denied by rule networkAllowList");
    }

    @Test
    void analyzeMetricsFailsOnARedirectInsteadOfFollowingIt() {
        network.answers.put("http://127.0.0.1:8082/q/metrics", new HttpAnswer(301, "http://10.0.0.1/", "", false));
        InvocationResult result = call("analyze_metrics", "{\"service\":\"knowledge-service\"}");
        assertThat(result.status()).isEqualTo(InvocationResult.FAILED);
        assertThat(result.error()).contains("redirect not followed");
        assertThat(network.probes).hasSize(1);
    }

    @Test
    void publishEventGoesOnlyToAllowedTopics() {
        InvocationResult ok = call(
                "publish_event",
                "{\"topic\":\"devloop.system.health\",\"key\":\"knowledge-service\",\"type\":\"component.status\","
                        + "\"data\":{\"status\":\"DEGRADED\"}}");
        ProblemException denied = refused(
                "publish_event", "{\"topic\":\"devloop.agent.tasks\",\"key\":\"x\",\"type\":\"task\",\"data\":{}}");

        assertThat(ok.output().path("type").asText()).isEqualTo("dev.devloop.agent.component.status");
        assertThat(publisher.published)
                .containsExactly("devloop.system.health knowledge-service " + tenant
                        + " dev.devloop.agent.component.status {\"status\":\"DEGRADED\"}");
        assertThat(denied.problem().status()).isEqualTo(403);
        assertThat(denied.problem().detail()).startsWith("denied by rule allowedTopics");
    }
}
