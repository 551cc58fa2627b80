package dev.devloop.tools.adapters.in.rest;

import dev.devloop.contracts.identity.Caller;
import dev.devloop.contracts.logging.LogFields;
import dev.devloop.contracts.problem.Problem;
import dev.devloop.contracts.problem.ProblemException;
import dev.devloop.tools.config.ToolServiceConfig;
import dev.devloop.tools.domain.McpServer;
import dev.devloop.tools.domain.McpTransport;
import dev.devloop.tools.ports.in.ManageMcpServersUseCase;
import dev.devloop.tools.ports.in.RegisterMcpServerCommand;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.logging.Logger;

/** Remote MCP servers: import one's tools, list the imported servers, remove one (disabling its tools). */
@Tag(name = "MCP servers", description = "Remote MCP servers whose tools a tenant imported")
@Path("/mcp-servers")
@Produces(MediaType.APPLICATION_JSON)
public class McpServerResource {
    private static final Logger LOG = Logger.getLogger(McpServerResource.class);

    private final ManageMcpServersUseCase servers;
    private final ToolServiceConfig config;
    private final Caller caller;

    McpServerResource(ManageMcpServersUseCase servers, ToolServiceConfig config, Caller caller) {
        this.servers = servers;
        this.config = config;
        this.caller = caller;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Import (or re-import) a remote MCP server's tools as mcp_<server>_<tool>")
    @APIResponse(
            responseCode = "201",
            description = "Imported: the server, its tools and the ones skipped",
            content =
                    @Content(
                            mediaType = MediaType.APPLICATION_JSON,
                            schema = @Schema(implementation = McpServerView.class)))
    @APIResponse(
            responseCode = "200",
            description = "Re-imported",
            content =
                    @Content(
                            mediaType = MediaType.APPLICATION_JSON,
                            schema = @Schema(implementation = McpServerView.class)))
    @APIResponse(
            responseCode = "502",
            description = "The server could not be reached or did not list its tools",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Response register(McpServerBody body) {
        String tenant = caller.tenant();
        if (body == null) {
            throw ProblemException.badRequest("body", "a JSON body is required");
        }
        McpTransport transport =
                body.transport() == null ? McpTransport.STREAMABLE_HTTP : McpTransport.fromWire(body.transport());
        if (transport == null) {
            throw ProblemException.badRequest(
                    "transport",
                    "transport must be streamable-http (sse names the legacy transport, which is refused)");
        }
        URI url = RegisterMcpServerCommand.parseUrl(body.url(), config.mcp().maxUrlChars());
        ManageMcpServersUseCase.Import imported = servers.register(new RegisterMcpServerCommand(
                tenant, body.name(), url, transport, body.allowedAgentTypes(), body.timeoutMs()));
        McpServer server = imported.server();
        LogFields.of(
                        "tenant",
                        tenant,
                        "server",
                        server.name(),
                        "transport",
                        server.transport().wire())
                .and("tools", server.tools().size())
                .and("skipped", imported.skipped().size())
                .and("created", imported.created())
                .info(LOG, "mcp server imported");
        return Response.status(imported.created() ? Response.Status.CREATED : Response.Status.OK)
                .location(URI.create("/mcp-servers/" + server.name()))
                .entity(McpServerView.of(server, imported.skipped()))
                .build();
    }

    @GET
    @Operation(summary = "List the tenant's imported MCP servers")
    @APIResponse(
            responseCode = "200",
            description = "The servers",
            content =
                    @Content(
                            mediaType = MediaType.APPLICATION_JSON,
                            schema = @Schema(type = SchemaType.ARRAY, implementation = McpServerView.class)))
    public List<McpServerView> list() {
        String tenant = caller.tenant();
        List<McpServerView> views = servers.list(tenant).stream()
                .map(s -> McpServerView.of(s, List.of()))
                .toList();
        LogFields.of("tenant", tenant, "count", views.size()).info(LOG, "mcp servers listed");
        return views;
    }

    @DELETE
    @Path("/{name}")
    @Operation(summary = "Remove an imported MCP server, disabling its tools")
    @APIResponse(
            responseCode = "200",
            description = "The removed server",
            content =
                    @Content(
                            mediaType = MediaType.APPLICATION_JSON,
                            schema = @Schema(implementation = McpServerView.class)))
    @APIResponse(
            responseCode = "404",
            description = "No MCP server of that name for this tenant",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public McpServerView remove(@PathParam("name") String name) {
        String tenant = caller.tenant();
        McpServer removed = servers.remove(tenant, name);
        LogFields.of(
                        "tenant",
                        tenant,
                        "server",
                        name,
                        "disabledTools",
                        removed.tools().size())
                .info(LOG, "mcp server removed");
        return McpServerView.of(removed, List.of());
    }
}
