package dev.devloop.tools.application;

import static dev.devloop.tools.support.Fixtures.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.devloop.tools.adapters.out.jsonschema.NetworkntArgumentSchemas;
import dev.devloop.tools.domain.McpTransport;
import dev.devloop.tools.domain.ToolDefinition;
import dev.devloop.tools.domain.ToolKind;
import dev.devloop.tools.ports.in.InvocationResult;
import dev.devloop.tools.ports.in.InvokeToolCommand;
import dev.devloop.tools.ports.in.ManageMcpServersUseCase;
import dev.devloop.tools.ports.in.RegisterMcpServerCommand;
import dev.devloop.tools.ports.in.ToolRefusal;
import dev.devloop.tools.ports.out.DependencyOutages;
import dev.devloop.tools.ports.out.ToolMetricsPort;
import dev.devloop.tools.support.Fixtures;
import dev.devloop.tools.support.InMemoryMcp;
import dev.devloop.tools.support.InMemoryPorts;
import dev.devloop.tools.support.Refusals;
import java.net.URI;
import java.time.Clock;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** MCP import, SSRF rules, removal, and imported tools invoked through the invocation use case. */
class McpServerServiceTest {
    private static final String ADD_SCHEMA = """
      {"type":"object","properties":{"a":{"type":"number"},"b":{"type":"number"}},"required":["a","b"]}""";

    private final InMemoryPorts.Registry registry = new InMemoryPorts.Registry();
    private final InMemoryPorts.Audit audit = new InMemoryPorts.Audit();
    private final InMemoryPorts.Network network = new InMemoryPorts.Network();
    private final InMemoryMcp.Store store = new InMemoryMcp.Store();
    private final InMemoryMcp.Remote remote = new InMemoryMcp.Remote();
    private final ExecutorService pool = Executors.newCachedThreadPool();
    private final String tenant = Fixtures.tenant();
    private McpServerService servers;
    private InvokeToolService invocations;

    @BeforeEach
    void setUp() {
        NetworkntArgumentSchemas schemas = new NetworkntArgumentSchemas(16);
        servers = new McpServerService(
                store,
                remote,
                registry,
                schemas,
                network,
                new McpSettings(Set.of("localhost"), 4000, 2, 3, 200),
                Fixtures.settings(),
                Clock.systemUTC());
        invocations = new InvokeToolService(
                registry,
                new ToolExecutors(
                        List.of(new McpToolExecutor(store, remote, new McpHosts(network, Set.of("localhost"))))),
                schemas,
                new InMemoryPorts.Ledger(),
                new InMemoryPorts.Budget(),
                audit,
                audit,
                pool,
                Fixtures.settings(),
                Clock.systemUTC(),
                null,
                QuotaSettings.unlimited(),
                ToolMetricsPort.NONE,
                DependencyOutages.NONE);
        network.host("mcp.example.org", "93.184.216.34")
                .host("localhost", "127.0.0.1")
                .host("inside.example.org", "10.0.0.5")
                .host("169.254.169.254", "169.254.169.254");
    }

    @AfterEach
    void tearDown() {
        pool.shutdownNow();
    }

    private ManageMcpServersUseCase.Import register(String name, String url, String... types) {
        return servers.register(new RegisterMcpServerCommand(
                tenant, name, URI.create(url), McpTransport.STREAMABLE_HTTP, List.of(types), null));
    }

    private InvocationResult invoke(String tool, String args, String agentType) {
        return invocations.invoke(new InvokeToolCommand(tenant, tool, json(args), agentType, "agent-1", "run-1", null));
    }

    @Test
    void eachNewConnectionResolvesAndChecksTheHostAgain() {
        network.rebinding("flip.example.org", "93.184.216.34", "10.0.0.7");
        remote.tool("add", ADD_SCHEMA);
        register("flip", "https://flip.example.org/mcp", "assistant");

        // the import connected to the address it checked: one lookup
        assertThat(remote.addresses).containsExactly("93.184.216.34");
        assertThat(network.lookups).containsExactly("flip.example.org");
        // the scripted remote asks for the address on every call, as the adapter does for each new client: the host
        // now resolves to a private address, so the call is denied before any connection
        assertThatThrownBy(() -> invoke("mcp_flip_add", "{\"a\":1,\"b\":1}", "assistant"))
                .isInstanceOfSatisfying(ToolProblems.Denied.class, e -> {
                    assertThat(e.rule()).isEqualTo("ssrf");
                    assertThat(e.getMessage()).contains("10.0.0.7");
                });
        assertThat(remote.calls).isEmpty();
    }

    @Test
    void importsRemoteToolsAsTenantOwnedMcpTools() {
        remote.tool("add", ADD_SCHEMA).tool("fail", "{\"type\":\"object\"}");
        ManageMcpServersUseCase.Import imported = register("calc", "https://mcp.example.org/mcp", "assistant");

        assertThat(imported.created()).isTrue();
        assertThat(imported.server().tools())
                .extracting(t -> t.toolId())
                .containsExactly("mcp_calc_add", "mcp_calc_fail");
        ToolDefinition add = registry.find(tenant, "mcp_calc_add").orElseThrow();
        assertThat(add.kind()).isEqualTo(ToolKind.MCP);
        assertThat(add.scope()).isEqualTo(tenant);
        assertThat(json(add.parameters().json())).isEqualTo(json(ADD_SCHEMA));
        assertThat(add.limits().timeoutMs()).isEqualTo(4000);
        assertThat(registry.find(Fixtures.tenant(), "mcp_calc_add")).isEmpty();

        InvocationResult sum = invoke("mcp_calc_add", "{\"a\":2,\"b\":40}", "assistant");
        assertThat(sum.status()).isEqualTo(InvocationResult.SUCCEEDED);
        assertThat(sum.output().get("text").asText()).isEqualTo("42");
        assertThat(remote.calls).containsExactly("https://mcp.example.org/mcp add {\"a\":2,\"b\":40}");

        InvocationResult failed = invoke("mcp_calc_fail", "{}", "assistant");
        assertThat(failed.status()).isEqualTo(InvocationResult.FAILED);
        assertThat(failed.error()).isEqualTo("no such behaviour: fail");

        assertThatThrownBy(() -> invoke("mcp_calc_add", "{\"a\":\"x\",\"b\":1}", "assistant"))
                .isInstanceOfSatisfying(
                        ToolRefusal.class,
                        e -> assertThat(Refusals.asProblem(e).problem().field()).isEqualTo("a"));
        assertThatThrownBy(() -> invoke("mcp_calc_add", "{\"a\":1,\"b\":1}", "diagnostic"))
                .isInstanceOfSatisfying(ToolRefusal.class, e -> assertThat(
                                Refusals.asProblem(e).problem().status())
                        .isEqualTo(403));
        assertThat(remote.calls).hasSize(2);
    }

    @Test
    void anUnreachableServerFailsTheCallNotTheService() {
        remote.tool("add", ADD_SCHEMA);
        register("calc", "https://mcp.example.org/mcp", "*");
        remote.down = true;
        InvocationResult result = invoke("mcp_calc_add", "{\"a\":1,\"b\":1}", "assistant");
        assertThat(result.status()).isEqualTo(InvocationResult.FAILED);
        assertThat(result.error()).contains("Connection refused");
        assertThatThrownBy(() -> register("other", "https://mcp.example.org/mcp", "*"))
                .isInstanceOfSatisfying(ToolRefusal.class, e -> assertThat(
                                Refusals.asProblem(e).problem().status())
                        .isEqualTo(502));
        assertThat(store.find(tenant, "other")).isEmpty();
    }

    @Test
    void skipsToolsWithUnusableNamesOrSchemas() {
        remote.tool("add", ADD_SCHEMA)
                .tool("bad name!", "{\"type\":\"object\"}")
                .tool("arrayish", "{\"type\":\"array\"}");
        ManageMcpServersUseCase.Import imported = register("calc", "https://mcp.example.org/mcp", "*");
        assertThat(imported.server().tools()).extracting(t -> t.toolId()).containsExactly("mcp_calc_add");
        assertThat(imported.skipped())
                .extracting(ManageMcpServersUseCase.Skipped::tool)
                .containsExactly("bad name!", "arrayish");
    }

    @Test
    void refusesPrivateLoopbackAndMetadataHostsUnlessTrusted() {
        remote.tool("add", ADD_SCHEMA);
        for (String url : List.of("http://inside.example.org/mcp", "http://169.254.169.254/latest")) {
            assertThatThrownBy(() -> register("x", url, "*")).isInstanceOfSatisfying(ToolProblems.Denied.class, e -> {
                assertThat(e.rule()).isEqualTo("ssrf");
                assertThat(Refusals.asProblem(e).problem().field()).isEqualTo("url");
            });
        }
        assertThatThrownBy(() -> register("x", "http://nowhere.invalid/mcp", "*"))
                .isInstanceOfSatisfying(ToolRefusal.class, e -> assertThat(
                                Refusals.asProblem(e).problem().status())
                        .isEqualTo(400));
        assertThat(remote.calls).isEmpty();
        assertThat(store.list(tenant)).isEmpty();
        // loopback is fine when the host is explicitly trusted
        assertThat(register("local", "http://localhost:9/mcp", "*").server().tools())
                .hasSize(1);
    }

    @Test
    void urlsAndNamesAreValidated() {
        for (String bad : List.of(
                "ftp://mcp.example.org/x",
                "https://user:pw@mcp.example.org/x",
                "not a url",
                "/relative",
                "https://mcp.example.org/x#frag")) {
            assertThatThrownBy(() -> RegisterMcpServerCommand.parseUrl(bad, 200))
                    .isInstanceOfSatisfying(ToolRefusal.class, e -> assertThat(
                                    Refusals.asProblem(e).problem().field())
                            .isEqualTo("url"));
        }
        assertThatThrownBy(() -> RegisterMcpServerCommand.parseUrl("https://mcp.example.org/" + "a".repeat(300), 200))
                .isInstanceOf(ToolRefusal.class);
        for (String name : List.of("Calc", "with_underscore", "", "-x")) {
            assertThatThrownBy(() -> register(name, "https://mcp.example.org/mcp", "*"))
                    .isInstanceOfSatisfying(ToolRefusal.class, e -> assertThat(
                                    Refusals.asProblem(e).problem().field())
                            .isEqualTo("name"));
        }
    }

    @Test
    void reimportDisablesVanishedToolsAndRemovalDisablesAll() {
        remote.tool("add", ADD_SCHEMA).tool("sub", ADD_SCHEMA);
        register("calc", "https://mcp.example.org/mcp", "*");
        remote.tools.removeIf(t -> t.name().equals("sub"));
        ManageMcpServersUseCase.Import again = register("calc", "https://mcp.example.org/mcp", "*");
        assertThat(again.created()).isFalse();
        assertThat(registry.find(tenant, "mcp_calc_sub").orElseThrow().enabled())
                .isFalse();
        assertThat(registry.find(tenant, "mcp_calc_add").orElseThrow().enabled())
                .isTrue();

        servers.remove(tenant, "calc");
        assertThat(registry.find(tenant, "mcp_calc_add").orElseThrow().enabled())
                .isFalse();
        assertThat(store.list(tenant)).isEmpty();
        assertThat(remote.forgotten).contains(tenant + "/calc");
        assertThatThrownBy(() -> invoke("mcp_calc_add", "{\"a\":1,\"b\":1}", "assistant"))
                .isInstanceOfSatisfying(ToolRefusal.class, e -> assertThat(
                                Refusals.asProblem(e).problem().status())
                        .isEqualTo(404));
        assertThatThrownBy(() -> servers.remove(tenant, "calc"))
                .isInstanceOfSatisfying(ToolRefusal.class, e -> assertThat(
                                Refusals.asProblem(e).problem().status())
                        .isEqualTo(404));
    }

    @Test
    void boundsServersPerTenantAndToolsPerServer() {
        remote.tool("add", ADD_SCHEMA);
        register("one", "https://mcp.example.org/mcp", "*");
        register("two", "https://mcp.example.org/mcp", "*");
        assertThatThrownBy(() -> register("three", "https://mcp.example.org/mcp", "*"))
                .isInstanceOfSatisfying(
                        ToolProblems.Denied.class, e -> assertThat(e.rule()).isEqualTo("maxServersPerTenant"));
        remote.tool("b", ADD_SCHEMA).tool("c", ADD_SCHEMA).tool("d", ADD_SCHEMA);
        assertThatThrownBy(() -> register("one", "https://mcp.example.org/mcp", "*"))
                .isInstanceOfSatisfying(ToolRefusal.class, e -> assertThat(
                                Refusals.asProblem(e).problem().status())
                        .isEqualTo(400));
    }
}
