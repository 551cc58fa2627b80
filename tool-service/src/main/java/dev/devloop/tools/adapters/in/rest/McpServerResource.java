package dev.devloop.tools.adapters.in.rest;

import dev.devloop.contracts.Headers;
import dev.devloop.contracts.Tenants;
import dev.devloop.contracts.problem.ProblemException;
import dev.devloop.tools.config.ToolServiceConfig;
import dev.devloop.tools.domain.McpServer;
import dev.devloop.tools.domain.McpTransport;
import dev.devloop.tools.ports.in.ManageMcpServersUseCase;
import dev.devloop.tools.ports.in.RegisterMcpServerCommand;
import io.quarkus.logging.Log;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.List;

/** Remote MCP servers: import one's tools, list the imported servers, remove one (disabling its tools). */
@Path("/mcp-servers")
@Produces(MediaType.APPLICATION_JSON)
public class McpServerResource {
    private final ManageMcpServersUseCase servers;
    private final ToolServiceConfig config;

    McpServerResource(ManageMcpServersUseCase servers, ToolServiceConfig config) {
        this.servers = servers;
        this.config = config;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response register(@HeaderParam(Headers.TENANT) String tenant, McpServerBody body) {
        String checkedTenant = Tenants.require(tenant);
        if (body == null) {
            throw ProblemException.badRequest("body", "a JSON body is required");
        }
        McpTransport transport =
                body.transport() == null ? McpTransport.STREAMABLE_HTTP : McpTransport.fromWire(body.transport());
        if (transport == null) {
            throw ProblemException.badRequest("transport", "transport must be streamable-http or sse");
        }
        URI url = RegisterMcpServerCommand.parseUrl(body.url(), config.mcp().maxUrlChars());
        ManageMcpServersUseCase.Import imported = servers.register(new RegisterMcpServerCommand(
                checkedTenant, body.name(), url, transport, body.allowedAgentTypes(), body.timeoutMs()));
        McpServer server = imported.server();
        Log.infof(
                "mcp server imported tenant=%s server=%s transport=%s tools=%d skipped=%d created=%s",
                checkedTenant,
                server.name(),
                server.transport().wire(),
                server.tools().size(),
                imported.skipped().size(),
                imported.created());
        return Response.status(imported.created() ? Response.Status.CREATED : Response.Status.OK)
                .location(URI.create("/mcp-servers/" + server.name()))
                .entity(McpServerView.of(server, imported.skipped()))
                .build();
    }

    @GET
    public List<McpServerView> list(@HeaderParam(Headers.TENANT) String tenant) {
        String checkedTenant = Tenants.require(tenant);
        List<McpServerView> views = servers.list(checkedTenant).stream()
                .map(s -> McpServerView.of(s, List.of()))
                .toList();
        Log.infof("mcp servers listed tenant=%s count=%d", checkedTenant, views.size());
        return views;
    }

    @DELETE
    @Path("/{name}")
    public McpServerView remove(@HeaderParam(Headers.TENANT) String tenant, @PathParam("name") String name) {
        String checkedTenant = Tenants.require(tenant);
        McpServer removed = servers.remove(checkedTenant, name);
        Log.infof(
                "mcp server removed tenant=%s server=%s disabledTools=%d",
                checkedTenant, name, removed.tools().size());
        return McpServerView.of(removed, List.of());
    }
}
