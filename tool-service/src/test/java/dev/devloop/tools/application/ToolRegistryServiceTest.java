package dev.devloop.tools.application;

import static dev.devloop.tools.support.Fixtures.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.devloop.contracts.problem.Problem;
import dev.devloop.tools.adapters.out.filesystem.LocalWorkspace;
import dev.devloop.tools.adapters.out.jsonschema.NetworkntArgumentSchemas;
import dev.devloop.tools.domain.ToolDefinition;
import dev.devloop.tools.domain.ToolKind;
import dev.devloop.tools.ports.in.ManageToolsUseCase.Registration;
import dev.devloop.tools.ports.in.RegisterToolCommand;
import dev.devloop.tools.ports.out.ToolMetricsPort;
import dev.devloop.tools.support.Fixtures;
import dev.devloop.tools.support.InMemoryPorts;
import dev.devloop.tools.support.Refusals;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The registry use cases against in-memory ports. */
class ToolRegistryServiceTest {
    private static final String SCHEMA =
            "{\"type\":\"object\",\"properties\":{\"message\":{\"type\":\"string\"}}," + "\"required\":[\"message\"]}";
    private final InMemoryPorts.Registry registry = new InMemoryPorts.Registry();
    private final InMemoryPorts.Knowledge knowledge = new InMemoryPorts.Knowledge();
    private final String tenant = Fixtures.tenant();

    @TempDir
    Path temp;

    private ToolRegistryService service;
    private ToolExecutors executors;

    @BeforeEach
    void setUp() {
        List<ToolExecutor> all = new ArrayList<>(List.of(
                new StoreFactTool(knowledge),
                new RetrieveFactTool(knowledge),
                new LogActivityTool(new InMemoryPorts.Activity(), Clock.systemUTC())));
        all.addAll(new WorkspaceTools(new LocalWorkspace(temp), new WorkspaceSettings(100, 100, 10)).executors());
        all.addAll(new NetworkTools(
                        new InMemoryPorts.Network(),
                        new NetworkSettings(
                                java.util.Map.of(),
                                java.util.Map.of(),
                                java.util.Set.of(),
                                java.util.Set.of(),
                                100,
                                100,
                                10))
                .executors());
        all.add(new PublishEventTool(new InMemoryPorts.Publisher(), java.util.Set.of("devloop.system.health")));
        all.addAll(new KnowledgeGraphTools(knowledge).executors());
        all.addAll(new RoadmapTools(knowledge, Clock.systemUTC()).executors());
        all.add(new ReadLogsTool(
                new dev.devloop.tools.adapters.out.logs.LocalLogFiles(temp),
                new LogSettings(java.util.Set.of("knowledge-service"), 10, 1000, 100, 100)));
        all.addAll(new OperationsTools(
                        new dev.devloop.tools.adapters.out.http.JdkServiceAdmin(
                                100,
                                new dev.devloop.contracts.identity.ServiceTokens(
                                        dev.devloop.contracts.identity.ServiceKeys.open(
                                                temp.resolve("identity"), "tool-service", true),
                                        "devloop-cell",
                                        java.time.Duration.ofSeconds(60))),
                        new dev.devloop.tools.adapters.out.runner.LocalCommandRunner(List.of(), 100),
                        (service, t, reason, now, cooldown) -> java.util.Optional.empty(),
                        new OperationsSettings(
                                java.util.Set.of(),
                                100,
                                100,
                                java.util.Map.of(),
                                java.util.Map.of(),
                                java.util.Set.of(),
                                "tool-service",
                                1000,
                                100,
                                "http://127.0.0.1:9/v1/providers/{provider}/circuit/reset",
                                "provider-gateway"),
                        Clock.systemUTC())
                .executors());
        all.addAll(new DeadLetterTools(
                        null,
                        new DeadLetterSettings(
                                java.util.Set.of(), java.util.Set.of(), "devloop-dlq-replay", 100, 100, 100, 1, 10))
                .executors());
        // the registry only needs the executors' names and kinds: no git port behind them
        all.addAll(new GitTools(
                        null,
                        new LocalWorkspace(temp),
                        new dev.devloop.tools.domain.SecretScanner(),
                        new GitSettings(java.util.Map.of(), "a@devloop.test", 100, 100, 100, 10, 10, 100, 10, 1000),
                        new WorkspaceSettings(100, 100, 10))
                .executors());
        ForgeSettings forge =
                new ForgeSettings(java.util.Map.of(), java.util.Map.of(), java.util.Set.of(), 10, 100, 1000, 100, 10);
        all.addAll(new ForgeTools(new ForgeRouter(java.util.Map.of(), forge), forge, ToolMetricsPort.NONE).executors());
        executors = new ToolExecutors(all);
        service = new ToolRegistryService(
                registry,
                new InMemoryPorts.Shipped(Fixtures.shippedTools()),
                new NetworkntArgumentSchemas(16),
                executors,
                Fixtures.settings(),
                Clock.systemUTC());
        service.loadShipped();
    }

    private RegisterToolCommand command(
            String id, String schema, ToolKind kind, String implementation, List<String> types, Long timeoutMs) {
        return new RegisterToolCommand(
                tenant,
                id,
                "notes for " + id,
                json(schema),
                kind,
                implementation,
                types,
                timeoutMs,
                null,
                null,
                true,
                null);
    }

    private Problem problem(Runnable r) {
        Throwable t = catchThrowable(r::run);
        return Refusals.asProblem(t).problem();
    }

    @Test
    void loadingTheShippedSetTwiceKeepsOneCopyOfEach() {
        assertThat(service.loadShipped()).isEqualTo(45);
        assertThat(registry.tools.keySet())
                .containsExactlyInAnyOrder(
                        "*/store_fact",
                        "*/retrieve_fact",
                        "*/log_activity",
                        "*/read_file",
                        "*/write_file",
                        "*/list_dir",
                        "*/check_connectivity",
                        "*/analyze_metrics",
                        "*/publish_event",
                        "*/query_knowledge_graph",
                        "*/semantic_search",
                        "*/read_logs",
                        "*/clear_cache",
                        "*/update_config",
                        "*/restart_service",
                        "*/reset_circuit",
                        "*/dead_letters",
                        "*/replay_dead_letters",
                        "*/spawn_agent",
                        "*/coordinate_agents",
                        "*/monitor_children",
                        "*/retire_agent",
                        "*/handoff",
                        "*/roadmap_read",
                        "*/roadmap_create_node",
                        "*/roadmap_update_node",
                        "*/roadmap_mark_progress",
                        "*/roadmap_link_run",
                        "*/git_clone",
                        "*/git_branch",
                        "*/git_read_file",
                        "*/git_write_file",
                        "*/git_diff",
                        "*/git_commit",
                        "*/git_merge",
                        "*/git_push",
                        "*/forge_open_pr",
                        "*/forge_get_pr",
                        "*/forge_review_pr",
                        "*/forge_merge_pr",
                        "*/forge_checks",
                        "*/forge_check_log",
                        "*/forge_create_issue",
                        "*/forge_label_issue",
                        "*/forge_close_issue");
    }

    private List<String> callableIds(String agentType) {
        return service.callableBy(tenant, agentType).stream()
                .map(ToolDefinition::id)
                .toList();
    }

    @Test
    void everyAgentTypeSeesTheStarTools() {
        List<String> systemHealth = List.of(
                "analyze_metrics",
                "check_connectivity",
                "coordinate_agents",
                "dead_letters",
                "handoff",
                "log_activity",
                "monitor_children",
                "publish_event",
                "query_knowledge_graph",
                "read_logs",
                "retire_agent",
                "retrieve_fact",
                "semantic_search",
                "spawn_agent",
                "store_fact");
        assertThat(callableIds("system_health")).containsExactlyElementsOf(systemHealth);
        // diagnostic: the same, plus reading the workspace
        assertThat(callableIds("diagnostic"))
                .containsExactlyElementsOf(Stream.concat(systemHealth.stream(), Stream.of("list_dir", "read_file"))
                        .sorted()
                        .toList());
        assertThat(callableIds("repair"))
                .containsExactly(
                        "clear_cache",
                        "dead_letters",
                        "handoff",
                        "list_dir",
                        "log_activity",
                        "publish_event",
                        "query_knowledge_graph",
                        "read_file",
                        "replay_dead_letters",
                        "reset_circuit",
                        "restart_service",
                        "retrieve_fact",
                        "semantic_search",
                        "store_fact",
                        "update_config",
                        "write_file");
        assertThat(callableIds("planner"))
                .containsExactly(
                        "handoff",
                        "list_dir",
                        "log_activity",
                        "query_knowledge_graph",
                        "read_file",
                        "retrieve_fact",
                        "roadmap_create_node",
                        "roadmap_link_run",
                        "roadmap_mark_progress",
                        "roadmap_read",
                        "roadmap_update_node",
                        "semantic_search",
                        "store_fact");
        assertThat(problem(() -> service.callableBy(tenant, null)).field()).isEqualTo("agentType");
    }

    @Test
    void theGraphWritingToolsSayWritesGraphAndTheReadsDoNot() {
        assertThat(registry.tools.values())
                .filteredOn(ToolDefinition::writesGraph)
                .extracting(ToolDefinition::id)
                .containsExactlyInAnyOrder(
                        "store_fact",
                        "roadmap_create_node",
                        "roadmap_update_node",
                        "roadmap_mark_progress",
                        "roadmap_link_run");
        assertThat(service.get(tenant, "query_knowledge_graph").writesGraph()).isFalse();
        assertThat(service.get(tenant, "roadmap_read").writesGraph()).isFalse();
    }

    @Test
    void aRegistrationTakesItsImplementationsWritesGraphAndCannotDenyIt() {
        RegisterToolCommand absent = command("fact_note", SCHEMA, ToolKind.KNOWLEDGE, "store_fact", List.of("*"), null);
        assertThat(service.register(absent).tool().writesGraph()).isTrue();

        Problem denied = problem(() -> service.register(new RegisterToolCommand(
                tenant,
                "sneaky",
                "no approval please",
                json(SCHEMA),
                ToolKind.KNOWLEDGE,
                "roadmap_create_node",
                List.of("planner"),
                null,
                null,
                null,
                true,
                false)));
        assertThat(denied.status()).isEqualTo(400);
        assertThat(denied.field()).isEqualTo("writesGraph");

        RegisterToolCommand flagged = new RegisterToolCommand(
                tenant,
                "graph_note",
                "a note that feeds the graph",
                json(SCHEMA),
                ToolKind.NATIVE,
                "log_activity",
                List.of("*"),
                null,
                null,
                null,
                true,
                true);
        assertThat(service.register(flagged).tool().writesGraph()).isTrue();
        assertThat(service.register(command("plain_note", SCHEMA, ToolKind.NATIVE, "log_activity", List.of("*"), null))
                        .tool()
                        .writesGraph())
                .isFalse();
        assertThat(registry.find(tenant, "graph_note"))
                .get()
                .extracting(ToolDefinition::writesGraph)
                .isEqualTo(true);
    }

    @Test
    void aShippedGraphWriterWithoutWritesGraphStopsTheStart() {
        List<ToolDefinition> shipped = new ArrayList<>(Fixtures.shippedTools());
        shipped.replaceAll(t -> t.id().equals("roadmap_link_run")
                ? new ToolDefinition(
                        t.id(),
                        t.scope(),
                        t.description(),
                        t.parameters(),
                        t.kind(),
                        t.implementation(),
                        t.allowedAgentTypes(),
                        t.limits(),
                        t.enabled(),
                        t.updatedAt())
                : t);
        ToolRegistryService broken = new ToolRegistryService(
                new InMemoryPorts.Registry(),
                new InMemoryPorts.Shipped(shipped),
                new NetworkntArgumentSchemas(16),
                executors,
                Fixtures.settings(),
                Clock.systemUTC());
        assertThat(catchThrowable(broken::loadShipped))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("roadmap_link_run: its executor writes the knowledge graph");
    }

    @Test
    void aRegisteredToolIsVisibleOnlyToItsTenantAndAgentTypes() {
        Registration r = service.register(
                command("audit_note", SCHEMA, ToolKind.NATIVE, "log_activity", List.of("diagnostic"), null));

        assertThat(r.created()).isTrue();
        assertThat(r.tool().limits().timeoutMs()).isEqualTo(10_000);
        assertThat(service.callableBy(tenant, "diagnostic"))
                .extracting(ToolDefinition::id)
                .contains("audit_note");
        assertThat(service.callableBy(tenant, "repair"))
                .extracting(ToolDefinition::id)
                .doesNotContain("audit_note");
        assertThat(service.callableBy(Fixtures.tenant(), "diagnostic"))
                .extracting(ToolDefinition::id)
                .doesNotContain("audit_note");
        assertThat(service.register(command("audit_note", SCHEMA, ToolKind.NATIVE, "log_activity", List.of("*"), 500L))
                        .created())
                .isFalse();
    }

    @Test
    void disablingHidesTheToolButShippedToolsCannotBeDisabledByATenant() {
        service.register(command("audit_note", SCHEMA, ToolKind.NATIVE, "log_activity", List.of("*"), null));
        assertThat(service.disable(tenant, "audit_note").enabled()).isFalse();
        assertThat(service.callableBy(tenant, "diagnostic"))
                .extracting(ToolDefinition::id)
                .doesNotContain("audit_note");

        Problem shipped = problem(() -> service.disable(tenant, "store_fact"));
        assertThat(shipped.status()).isEqualTo(403);
        assertThat(shipped.detail()).startsWith("denied by rule scope");
    }

    @Test
    void registrationsAreValidated() {
        assertThat(problem(() -> service.register(
                                command("store_fact", SCHEMA, ToolKind.KNOWLEDGE, null, List.of("*"), null)))
                        .status())
                .isEqualTo(409);
        assertThat(problem(() -> service.register(command("x", SCHEMA, ToolKind.NATIVE, "rm_rf", List.of("*"), null)))
                        .field())
                .isEqualTo("implementation");
        assertThat(problem(() -> service.register(
                                command("x", SCHEMA, ToolKind.KNOWLEDGE, "log_activity", List.of("*"), null)))
                        .field())
                .isEqualTo("kind");
        assertThat(problem(() -> service.register(
                                command("x", SCHEMA, ToolKind.MCP, "log_activity", List.of("*"), null)))
                        .field())
                .isEqualTo("kind");
        assertThat(problem(() -> service.register(command(
                                "x", "{\"type\":\"string\"}", ToolKind.NATIVE, "log_activity", List.of("*"), null)))
                        .field())
                .isEqualTo("parameters");
        assertThat(problem(() -> service.register(command(
                                "x",
                                "{\"type\":\"object\",\"properties\":{\"a\":{\"$ref\":\"http://169.254.169.254/schema\"}}}",
                                ToolKind.NATIVE,
                                "log_activity",
                                List.of("*"),
                                null)))
                        .detail())
                .contains("local reference");
        assertThat(problem(() -> service.register(command(
                                "x",
                                "{\"type\":\"object\",\"minProperties\":\"two\"}",
                                ToolKind.NATIVE,
                                "log_activity",
                                List.of("*"),
                                null)))
                        .field())
                .isEqualTo("parameters");
        assertThat(problem(() -> service.register(
                                command("x", SCHEMA, ToolKind.NATIVE, "log_activity", List.of("*"), 600_000L)))
                        .field())
                .isEqualTo("limits.timeoutMs");
        assertThat(problem(() -> service.register(
                                command("x", SCHEMA, ToolKind.NATIVE, "log_activity", List.of(), null)))
                        .field())
                .isEqualTo("allowedAgentTypes");
    }

    @Test
    void aTenantMayRegisterOnlySoManyTools() {
        for (int i = 0; i < Fixtures.settings().maxToolsPerTenant(); i++) {
            service.register(command("note_" + i, SCHEMA, ToolKind.NATIVE, "log_activity", List.of("*"), null));
        }
        Problem over = problem(() ->
                service.register(command("one_more", SCHEMA, ToolKind.NATIVE, "log_activity", List.of("*"), null)));
        assertThat(over.status()).isEqualTo(403);
        assertThat(over.detail()).startsWith("denied by rule maxToolsPerTenant");
    }
}
