package dev.devloop.tools.application;

import static dev.devloop.tools.support.Fixtures.json;
import static org.assertj.core.api.Assertions.assertThat;

import dev.devloop.tools.domain.SettingSpec;
import dev.devloop.tools.ports.in.InvocationResult;
import dev.devloop.tools.ports.in.InvokeToolCommand;
import dev.devloop.tools.ports.out.ServiceAdminPort;
import dev.devloop.tools.support.Fixtures;
import dev.devloop.tools.support.InMemoryPorts;
import dev.devloop.tools.support.Invoker;
import java.net.URI;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * update_config reads provider-gateway's answer to {@code PUT /v1/settings/{key}} — {@code {setting, tenant,
 * previous, value}} — into its output. The owner is an in-process {@link ServiceAdminPort} stand-in (the real
 * hop is the scenarios module's); the HTTP adapter itself is tested in OperationsToolsTest.
 */
class UpdateConfigAnswerTest {
    private static final URI TTL = URI.create("http://provider-gateway.invalid/v1/settings/response-cache-ttl-seconds");
    private final InMemoryPorts.Registry registry = new InMemoryPorts.Registry();
    private final InMemoryPorts.Audit audit = new InMemoryPorts.Audit();
    private final ExecutorService pool = Executors.newCachedThreadPool();
    private final List<String> sent = new ArrayList<>();
    private final Deque<ServiceAdminPort.Answer> answers = new ArrayDeque<>();
    private InvokeToolService service;

    @BeforeEach
    void setUp() {
        ServiceAdminPort owner = (service, method, uri, tenant, body, timeoutMs, maxBytes) -> {
            sent.add(method + " " + uri + " owner=" + service + " tenant=" + tenant + " " + body);
            return answers.removeFirst();
        };
        OperationsSettings ops = new OperationsSettings(
                Set.of(),
                2000,
                4096,
                Map.of(),
                Map.of(
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
                                new OperationsSettings.Endpoint("provider-gateway", "PUT", TTL))),
                Set.of(),
                "tool-service",
                60_000,
                300,
                "http://127.0.0.1:9/v1/providers/{provider}/circuit/reset",
                "provider-gateway");
        Fixtures.shippedTools().forEach(registry::save);
        service = Invoker.over(
                registry, audit, pool, new OperationsTools(owner, null, null, ops, Clock.systemUTC()).executors());
    }

    @AfterEach
    void tearDown() {
        pool.shutdownNow();
    }

    private InvocationResult update(String tenant, String value) {
        return service.invoke(new InvokeToolCommand(
                tenant,
                "update_config",
                json("{\"setting\":\"provider-gateway.response-cache-ttl-seconds\",\"value\":" + value
                        + ",\"reason\":\"hit rate\"}"),
                "repair",
                "a-1",
                "run-1",
                null));
    }

    @Test
    void theOwnersPreviousAndAppliedValueBecomeTheOutput() {
        answers.add(new ServiceAdminPort.Answer(
                200,
                "{\"setting\":\"response-cache-ttl-seconds\",\"tenant\":\"acme\",\"previous\":null,\"value\":600}"));
        answers.add(new ServiceAdminPort.Answer(
                200,
                "{\"setting\":\"response-cache-ttl-seconds\",\"tenant\":\"acme\",\"previous\":600,\"value\":120}"));

        InvocationResult first = update("acme", "600");
        assertThat(first.status()).as(first.error()).isEqualTo(InvocationResult.SUCCEEDED);
        assertThat(first.output().path("setting").asText()).isEqualTo("provider-gateway.response-cache-ttl-seconds");
        assertThat(first.output().path("value").asInt()).isEqualTo(600);
        assertThat(first.output().has("previous")).isTrue();
        assertThat(first.output().get("previous").isNull())
                .as("the default was in force")
                .isTrue();
        assertThat(first.output().path("scope").asText()).isEqualTo("tenant");
        assertThat(first.output().path("owner").path("tenant").asText()).isEqualTo("acme");

        InvocationResult second = update("acme", "120");
        assertThat(second.output().path("previous").asInt()).isEqualTo(600);
        assertThat(second.output().path("value").asInt()).isEqualTo(120);
        assertThat(sent)
                .containsExactly(
                        "PUT " + TTL
                                + " owner=provider-gateway tenant=acme {\"setting\":\"provider-gateway.response-cache-ttl-seconds\",\"value\":600,"
                                + "\"reason\":\"hit rate\",\"agentId\":\"a-1\"}",
                        "PUT " + TTL
                                + " owner=provider-gateway tenant=acme {\"setting\":\"provider-gateway.response-cache-ttl-seconds\",\"value\":120,"
                                + "\"reason\":\"hit rate\",\"agentId\":\"a-1\"}");
    }

    @Test
    void anOwnerThatNormalisesTheValueIsBelievedAndItsRefusalIsReadable() {
        answers.add(new ServiceAdminPort.Answer(
                200,
                "{\"setting\":\"response-cache-ttl-seconds\",\"tenant\":\"acme\",\"previous\":120,\"value\":300}"));
        assertThat(update("acme", "300").output().path("value").asInt()).isEqualTo(300);
        answers.add(new ServiceAdminPort.Answer(
                400,
                "{\"type\":\"https://devloop.dev/problems/invalid-request\","
                        + "\"status\":400,\"field\":\"value\",\"detail\":\"must be at most 86400\"}"));
        InvocationResult refused = update("acme", "500");
        assertThat(refused.status()).isEqualTo(InvocationResult.FAILED);
        assertThat(refused.error())
                .isEqualTo(
                        "updating 'provider-gateway.response-cache-ttl-seconds' failed: the owner answered 400: must be at most 86400");
    }
}
