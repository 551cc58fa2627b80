package dev.devloop.tools.application;

import com.fasterxml.jackson.databind.JsonNode;
import dev.devloop.tools.domain.McpServer;
import dev.devloop.tools.domain.McpTransport;
import dev.devloop.tools.domain.ToolDefinition;
import dev.devloop.tools.domain.ToolKind;
import dev.devloop.tools.domain.ToolLimits;
import dev.devloop.tools.ports.in.Identifiers;
import dev.devloop.tools.ports.in.ManageMcpServersUseCase;
import dev.devloop.tools.ports.in.RegisterMcpServerCommand;
import dev.devloop.tools.ports.in.ToolRefusal;
import dev.devloop.tools.ports.out.ArgumentSchemaPort;
import dev.devloop.tools.ports.out.DownstreamException;
import dev.devloop.tools.ports.out.McpClientPort;
import dev.devloop.tools.ports.out.McpServerStorePort;
import dev.devloop.tools.ports.out.NetworkPort;
import dev.devloop.tools.ports.out.ToolRegistryPort;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Imports a remote MCP server: checks its URL against the SSRF rules, lists its tools, registers each
 * as {@code mcp_<server>_<tool>} (kind {@code mcp}, the remote input schema, owned by the tenant) and
 * stores the server; removing it disables those tools.
 */
public class McpServerService implements ManageMcpServersUseCase {
    /** The executor every imported tool runs on. */
    public static final String IMPLEMENTATION = "mcp";

    private final McpServerStorePort servers;
    private final McpClientPort clients;
    private final ToolRegistryPort registry;
    private final ArgumentSchemaPort schemas;
    private final McpHosts hosts;
    private final McpSettings mcp;
    private final ToolSettings settings;
    private final Clock clock;

    public McpServerService(
            McpServerStorePort servers,
            McpClientPort clients,
            ToolRegistryPort registry,
            ArgumentSchemaPort schemas,
            NetworkPort network,
            McpSettings mcp,
            ToolSettings settings,
            Clock clock) {
        this.servers = servers;
        this.clients = clients;
        this.registry = registry;
        this.schemas = schemas;
        this.hosts = new McpHosts(network, mcp.trustedHosts());
        this.mcp = mcp;
        this.settings = settings;
        this.clock = clock;
    }

    @Override
    public Import register(RegisterMcpServerCommand command) {
        long timeout = command.timeoutMs() == null ? mcp.toolTimeoutMs() : command.timeoutMs();
        if (timeout < 1 || timeout > settings.maxTimeoutMs()) {
            throw ToolRefusal.invalid("timeoutMs", "timeoutMs must be between 1 and " + settings.maxTimeoutMs());
        }
        if (command.allowedAgentTypes().size() > settings.maxAllowedAgentTypes()) {
            throw ToolRefusal.invalid(
                    "allowedAgentTypes", "at most " + settings.maxAllowedAgentTypes() + " agent types may be listed");
        }
        if (command.transport() != McpTransport.STREAMABLE_HTTP) {
            throw ToolRefusal.invalid(
                    "transport",
                    "the legacy HTTP+SSE transport is not supported (its connections could not be pinned to the"
                            + " checked address); import the server over streamable-http");
        }
        // resolved and checked once: the client connects to this address, never looking the host up again
        InetAddress address = hosts.checked(command.url().getHost());
        Optional<McpServer> previous = servers.find(command.tenant(), command.name());
        if (previous.isEmpty() && servers.count(command.tenant()) >= mcp.maxServersPerTenant()) {
            throw ToolProblems.denied(
                    "maxServersPerTenant",
                    "name",
                    "a tenant may import at most " + mcp.maxServersPerTenant() + " MCP servers");
        }

        McpClientPort.Endpoint endpoint = new McpClientPort.Endpoint(
                command.tenant(), command.name(), command.url().toString(), command.transport());
        clients.forget(command.tenant(), command.name());
        List<McpClientPort.RemoteTool> remote;
        try {
            remote = clients.listTools(endpoint, host -> address);
        } catch (DownstreamException e) {
            throw new ToolRefusal(
                    ToolRefusal.Reason.UNREACHABLE,
                    "mcp-server-unreachable",
                    "MCP server unreachable",
                    "could not list the tools of " + command.url() + ": " + e.getMessage(),
                    null,
                    null);
        }
        if (remote.size() > mcp.maxToolsPerServer()) {
            throw ToolRefusal.invalid(
                    "url",
                    "the server offers " + remote.size() + " tools; at most " + mcp.maxToolsPerServer()
                            + " may be imported");
        }

        Instant now = clock.instant();
        List<McpServer.ImportedTool> imported = new ArrayList<>();
        List<Skipped> skipped = new ArrayList<>();
        long owned = registry.countOwned(command.tenant());
        Set<String> previousIds = new HashSet<>();
        previous.ifPresent(p -> p.tools().forEach(t -> previousIds.add(t.toolId())));
        for (McpClientPort.RemoteTool tool : remote) {
            String id = McpServer.toolPrefix(command.name()) + tool.name();
            Optional<String> problem = importProblem(command.tenant(), id, tool);
            if (problem.isPresent()) {
                skipped.add(new Skipped(tool.name(), problem.get()));
                continue;
            }
            boolean known = registry.find(command.tenant(), id).isPresent();
            if (!known && owned >= settings.maxToolsPerTenant()) {
                skipped.add(new Skipped(
                        tool.name(), "the tenant holds " + settings.maxToolsPerTenant() + " tools already"));
                continue;
            }
            owned += known ? 0 : 1;
            registry.save(new ToolDefinition(
                    id,
                    command.tenant(),
                    description(command.name(), tool),
                    ParameterSchemas.of(tool.inputSchema()),
                    ToolKind.MCP,
                    IMPLEMENTATION,
                    command.allowedAgentTypes(),
                    new ToolLimits(timeout, settings.defaultMaxOutputBytes(), 0),
                    true,
                    now));
            imported.add(new McpServer.ImportedTool(id, tool.name()));
            previousIds.remove(id);
        }
        for (String gone : previousIds) {
            registry.find(command.tenant(), gone)
                    .filter(t -> !t.shipped())
                    .ifPresent(t -> registry.save(t.disabled(now)));
        }
        McpServer server = new McpServer(
                command.tenant(),
                command.name(),
                command.url().toString(),
                command.transport(),
                command.allowedAgentTypes(),
                imported,
                previous.map(McpServer::createdAt).orElse(now));
        servers.save(server);
        return new Import(server, previous.isEmpty(), skipped);
    }

    @Override
    public List<McpServer> list(String tenant) {
        return servers.list(Identifiers.tenant(tenant));
    }

    @Override
    public McpServer remove(String tenant, String name) {
        String checkedTenant = Identifiers.tenant(tenant);
        String checkedName = Identifiers.required("name", name, RegisterMcpServerCommand.NAME);
        McpServer server = servers.find(checkedTenant, checkedName)
                .orElseThrow(() -> ToolRefusal.notFound(
                        "unknown-mcp-server", "Unknown MCP server", "no MCP server named '" + checkedName + "'"));
        Instant now = clock.instant();
        for (McpServer.ImportedTool tool : server.tools()) {
            registry.find(checkedTenant, tool.toolId())
                    .filter(t -> !t.shipped() && t.kind() == ToolKind.MCP)
                    .ifPresent(t -> registry.save(t.disabled(now)));
        }
        servers.delete(checkedTenant, checkedName);
        clients.forget(checkedTenant, checkedName);
        return server;
    }

    private Optional<String> importProblem(String tenant, String id, McpClientPort.RemoteTool tool) {
        if (!Identifiers.TOOL_ID.matcher(id).matches()) {
            return Optional.of("'" + id + "' is not a valid tool id (" + Identifiers.TOOL_ID.pattern() + ")");
        }
        Optional<ToolDefinition> existing = registry.find(tenant, id);
        if (existing.isPresent() && (existing.get().shipped() || existing.get().kind() != ToolKind.MCP)) {
            return Optional.of("'" + id + "' is already taken by a "
                    + existing.get().kind().wire() + " tool");
        }
        JsonNode schema = tool.inputSchema();
        if (schema == null || !schema.isObject()) {
            return Optional.of("the input schema is not a JSON object");
        }
        if (schema.toString().getBytes(StandardCharsets.UTF_8).length > settings.maxSchemaBytes()) {
            return Optional.of("the input schema is larger than " + settings.maxSchemaBytes() + " bytes");
        }
        List<String> problems = new ArrayList<>(ParameterSchemas.problems(schema));
        if (problems.isEmpty()) {
            problems.addAll(schemas.schemaProblems(schema));
        }
        return problems.isEmpty()
                ? Optional.empty()
                : Optional.of("invalid input schema: " + String.join("; ", problems));
    }

    private String description(String server, McpClientPort.RemoteTool tool) {
        String text = tool.description() == null || tool.description().isBlank()
                ? "Tool '" + tool.name() + "' of the MCP server " + server
                : tool.description();
        return text.length() > settings.maxDescriptionChars()
                ? text.substring(0, settings.maxDescriptionChars())
                : text;
    }
}
