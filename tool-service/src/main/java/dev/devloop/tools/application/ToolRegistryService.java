package dev.devloop.tools.application;

import com.fasterxml.jackson.databind.JsonNode;
import dev.devloop.tools.domain.ToolDefinition;
import dev.devloop.tools.domain.ToolKind;
import dev.devloop.tools.domain.ToolLimits;
import dev.devloop.tools.ports.in.Identifiers;
import dev.devloop.tools.ports.in.ListToolsUseCase;
import dev.devloop.tools.ports.in.ManageToolsUseCase;
import dev.devloop.tools.ports.in.RegisterToolCommand;
import dev.devloop.tools.ports.in.ToolRefusal;
import dev.devloop.tools.ports.out.ArgumentSchemaPort;
import dev.devloop.tools.ports.out.ShippedToolsPort;
import dev.devloop.tools.ports.out.ToolRegistryPort;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/** Use cases over the registry: list what an agent type may call, register, read, disable, load shipped tools. */
public class ToolRegistryService implements ListToolsUseCase, ManageToolsUseCase {
    /** The implementation name of {@code agent}-kind tools: agent-service runs them inside its loop. */
    public static final String AGENT_EXECUTOR = "agent-service";

    private final ToolRegistryPort registry;
    private final ShippedToolsPort shipped;
    private final ArgumentSchemaPort schemas;
    private final ToolExecutors executors;
    private final ToolSettings settings;
    private final Clock clock;

    public ToolRegistryService(
            ToolRegistryPort registry,
            ShippedToolsPort shipped,
            ArgumentSchemaPort schemas,
            ToolExecutors executors,
            ToolSettings settings,
            Clock clock) {
        this.registry = registry;
        this.shipped = shipped;
        this.schemas = schemas;
        this.executors = executors;
        this.settings = settings;
        this.clock = clock;
    }

    @Override
    public List<ToolDefinition> callableBy(String tenant, String agentType) {
        String checkedTenant = Identifiers.tenant(tenant);
        String type = Identifiers.required("agentType", agentType, Identifiers.REFERENCE);
        return registry.listEnabled(checkedTenant).stream()
                .filter(tool -> tool.allows(type))
                .filter(tool -> tool.kind() == ToolKind.AGENT
                        || executors.find(tool.implementation()).isPresent())
                .sorted(Comparator.comparing(ToolDefinition::id))
                .toList();
    }

    @Override
    public List<ToolDefinition> enabledFor(String tenant) {
        return registry.listEnabled(Identifiers.tenant(tenant)).stream()
                .filter(tool -> executors.find(tool.implementation()).isPresent())
                .sorted(Comparator.comparing(ToolDefinition::id))
                .toList();
    }

    @Override
    public Registration register(RegisterToolCommand command) {
        if (command.kind() == ToolKind.MCP || command.kind() == ToolKind.AGENT) {
            throw ToolRefusal.invalid(
                    "kind",
                    command.kind() == ToolKind.MCP
                            ? "mcp tools are imported with POST /mcp-servers"
                            : "agent tools are the shipped set agent-service executes (" + AGENT_EXECUTOR
                                    + "); they cannot be registered by a tenant");
        }
        ToolExecutor executor = executors
                .find(command.implementation())
                .orElseThrow(() -> ToolRefusal.invalid(
                        "implementation", "implementation must name a built-in executor: " + executors.names()));
        if (executor.kind() != command.kind()) {
            throw ToolRefusal.invalid(
                    "kind",
                    "implementation " + executor.name() + " is a "
                            + executor.kind().wire() + " tool");
        }
        if (command.description().length() > settings.maxDescriptionChars()) {
            throw ToolRefusal.invalid(
                    "description", "description must be at most " + settings.maxDescriptionChars() + " characters");
        }
        if (command.allowedAgentTypes().size() > settings.maxAllowedAgentTypes()) {
            throw ToolRefusal.invalid(
                    "allowedAgentTypes", "at most " + settings.maxAllowedAgentTypes() + " agent types may be listed");
        }
        checkSchema(command.parameters());
        ToolLimits limits = limits(command);
        if (Boolean.FALSE.equals(command.writesGraph()) && executor.writesGraph()) {
            throw ToolRefusal.invalid(
                    "writesGraph",
                    "implementation " + executor.name() + " writes the knowledge graph; writesGraph cannot be false");
        }
        boolean writesGraph = command.writesGraph() == null ? executor.writesGraph() : command.writesGraph();

        Optional<ToolDefinition> existing = registry.find(command.tenant(), command.id());
        if (existing.isPresent() && existing.get().shipped()) {
            throw ToolProblems.conflict(
                    "tool-id-taken", "id", "'" + command.id() + "' is a shipped tool; register yours under another id");
        }
        if (existing.isEmpty() && registry.countOwned(command.tenant()) >= settings.maxToolsPerTenant()) {
            throw ToolProblems.denied(
                    "maxToolsPerTenant",
                    "id",
                    "a tenant may register at most " + settings.maxToolsPerTenant() + " tools");
        }
        ToolDefinition tool = new ToolDefinition(
                command.id(),
                command.tenant(),
                command.description(),
                ParameterSchemas.of(command.parameters()),
                command.kind(),
                command.implementation(),
                command.allowedAgentTypes(),
                limits,
                command.enabled(),
                clock.instant(),
                writesGraph);
        registry.save(tool);
        return new Registration(tool, existing.isEmpty());
    }

    @Override
    public ToolDefinition get(String tenant, String id) {
        String checkedTenant = Identifiers.tenant(tenant);
        String toolId = Identifiers.required("id", id, Identifiers.TOOL_ID);
        return registry.find(checkedTenant, toolId).orElseThrow(() -> ToolProblems.unknownTool(toolId));
    }

    @Override
    public ToolDefinition disable(String tenant, String id) {
        ToolDefinition tool = get(tenant, id);
        if (tool.shipped()) {
            throw ToolProblems.denied("scope", "id", "shipped tools are managed by the service, not by a tenant");
        }
        ToolDefinition disabled = tool.disabled(clock.instant());
        registry.save(disabled);
        return disabled;
    }

    @Override
    public int loadShipped() {
        List<ToolDefinition> tools = shipped.shippedTools();
        List<String> problems = new ArrayList<>();
        for (ToolDefinition tool : tools) {
            Optional<ToolExecutor> executor = executors.find(tool.implementation());
            if (tool.kind() == ToolKind.AGENT) {
                if (!AGENT_EXECUTOR.equals(tool.implementation())) {
                    problems.add(tool.id() + ": agent tools must name implementation " + AGENT_EXECUTOR);
                }
            } else if (executor.isEmpty()) {
                problems.add(tool.id() + ": no executor named " + tool.implementation());
            } else if (executor.get().kind() != tool.kind()) {
                problems.add(tool.id() + ": kind " + tool.kind().wire() + " but its executor is "
                        + executor.get().kind().wire());
            } else if (executor.get().writesGraph() && !tool.writesGraph()) {
                problems.add(tool.id() + ": its executor writes the knowledge graph but writesGraph is not true");
            }
            JsonNode schema = ParameterSchemas.tree(tool.parameters());
            ParameterSchemas.problems(schema).forEach(p -> problems.add(tool.id() + ": " + p));
            schemas.schemaProblems(schema).forEach(p -> problems.add(tool.id() + ": " + p));
        }
        if (!problems.isEmpty()) {
            throw new IllegalStateException("the shipped tool set is invalid: " + problems);
        }
        List<ToolDefinition> stamped = new ArrayList<>(tools.size());
        for (ToolDefinition tool : tools) {
            stamped.add(new ToolDefinition(
                    tool.id(),
                    ToolDefinition.SHIPPED,
                    tool.description(),
                    tool.parameters(),
                    tool.kind(),
                    tool.implementation(),
                    tool.allowedAgentTypes(),
                    tool.limits(),
                    tool.enabled(),
                    clock.instant(),
                    tool.writesGraph()));
        }
        registry.saveAll(stamped);
        return tools.size();
    }

    private void checkSchema(JsonNode parameters) {
        if (parameters.toString().getBytes(StandardCharsets.UTF_8).length > settings.maxSchemaBytes()) {
            throw ToolRefusal.invalid(
                    "parameters", "the parameter schema must be at most " + settings.maxSchemaBytes() + " bytes");
        }
        List<String> problems = new ArrayList<>(ParameterSchemas.problems(parameters));
        if (problems.isEmpty()) {
            problems.addAll(schemas.schemaProblems(parameters));
        }
        if (!problems.isEmpty()) {
            throw ToolRefusal.invalid("parameters", String.join("; ", problems));
        }
    }

    private ToolLimits limits(RegisterToolCommand command) {
        long timeout = command.timeoutMs() == null ? settings.defaultTimeoutMs() : command.timeoutMs();
        if (timeout < 1 || timeout > settings.maxTimeoutMs()) {
            throw ToolRefusal.invalid("limits.timeoutMs", "timeoutMs must be between 1 and " + settings.maxTimeoutMs());
        }
        int output = command.maxOutputBytes() == null ? settings.defaultMaxOutputBytes() : command.maxOutputBytes();
        if (output < 1 || output > settings.maxOutputBytesCeiling()) {
            throw ToolRefusal.invalid(
                    "limits.maxOutputBytes",
                    "maxOutputBytes must be between 1 and " + settings.maxOutputBytesCeiling());
        }
        int calls = command.maxCallsPerRun() == null ? 0 : command.maxCallsPerRun();
        if (calls < 0 || calls > settings.maxCallsPerRunCeiling()) {
            throw ToolRefusal.invalid(
                    "limits.maxCallsPerRun",
                    "maxCallsPerRun must be between 0 (no budget) and " + settings.maxCallsPerRunCeiling());
        }
        return new ToolLimits(timeout, output, calls);
    }
}
