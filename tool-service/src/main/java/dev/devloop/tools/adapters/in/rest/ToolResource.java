package dev.devloop.tools.adapters.in.rest;

import dev.devloop.contracts.Headers;
import dev.devloop.contracts.Tenants;
import dev.devloop.contracts.problem.ProblemException;
import dev.devloop.contracts.tools.ToolInvocationRequest;
import dev.devloop.contracts.tools.ToolInvocationResult;
import dev.devloop.tools.adapters.in.rest.ToolViews.ToolView;
import dev.devloop.tools.domain.ToolDefinition;
import dev.devloop.tools.domain.ToolKind;
import dev.devloop.tools.ports.in.InvocationResult;
import dev.devloop.tools.ports.in.InvokeToolCommand;
import dev.devloop.tools.ports.in.InvokeToolUseCase;
import dev.devloop.tools.ports.in.ListToolsUseCase;
import dev.devloop.tools.ports.in.ManageToolsUseCase;
import dev.devloop.tools.ports.in.RegisterToolCommand;
import dev.devloop.tools.ports.in.ToolRefusal;
import io.quarkus.logging.Log;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.List;

/** The registry and invocation API: list, register, read, disable and invoke tools. */
@Path("/tools")
@Produces(MediaType.APPLICATION_JSON)
public class ToolResource {
    private final ListToolsUseCase listTools;
    private final ManageToolsUseCase manageTools;
    private final InvokeToolUseCase invokeTool;

    ToolResource(ListToolsUseCase listTools, ManageToolsUseCase manageTools, InvokeToolUseCase invokeTool) {
        this.listTools = listTools;
        this.manageTools = manageTools;
        this.invokeTool = invokeTool;
    }

    @GET
    public List<ToolViews.SpecView> specs(
            @HeaderParam(Headers.TENANT) String tenant, @QueryParam("agentType") String agentType) {
        String checkedTenant = Tenants.require(tenant);
        List<ToolViews.SpecView> specs = listTools.callableBy(checkedTenant, agentType).stream()
                .map(ToolViews::spec)
                .toList();
        Log.infof("tool specs listed tenant=%s agentType=%s count=%d", checkedTenant, agentType, specs.size());
        return specs;
    }

    @GET
    @Path("/{id}")
    public ToolView get(@HeaderParam(Headers.TENANT) String tenant, @PathParam("id") String id) {
        ToolDefinition tool = manageTools.get(Tenants.require(tenant), id);
        Log.infof("tool read tenant=%s tool=%s", tenant, id);
        return ToolViews.view(tool);
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response register(@HeaderParam(Headers.TENANT) String tenant, ToolRegistrationBody body) {
        String checkedTenant = Tenants.require(tenant);
        if (body == null) {
            throw ProblemException.badRequest("body", "a JSON body is required");
        }
        ToolKind kind = ToolKind.fromWire(body.kind());
        if (kind == null) {
            throw ProblemException.badRequest("kind", "kind must be one of native, knowledge, mcp, agent");
        }
        ToolRegistrationBody.Limits limits =
                body.limits() == null ? new ToolRegistrationBody.Limits(null, null, null) : body.limits();
        ManageToolsUseCase.Registration registration = manageTools.register(new RegisterToolCommand(
                checkedTenant,
                body.id(),
                body.description(),
                body.parameters(),
                kind,
                body.implementation(),
                body.allowedAgentTypes(),
                limits.timeoutMs(),
                limits.maxOutputBytes(),
                limits.maxCallsPerRun(),
                body.enabled() == null || body.enabled(),
                body.writesGraph()));
        ToolDefinition tool = registration.tool();
        Log.infof("tool registered tenant=%s tool=%s created=%s", checkedTenant, tool.id(), registration.created());
        return Response.status(registration.created() ? Response.Status.CREATED : Response.Status.OK)
                .location(URI.create("/tools/" + tool.id()))
                .entity(ToolViews.view(tool))
                .build();
    }

    @POST
    @Path("/{id}/disable")
    public ToolView disable(@HeaderParam(Headers.TENANT) String tenant, @PathParam("id") String id) {
        ToolDefinition tool = manageTools.disable(Tenants.require(tenant), id);
        Log.infof("tool disabled tenant=%s tool=%s", tenant, id);
        return ToolViews.view(tool);
    }

    @POST
    @Path("/{id}/invocations")
    @Consumes(MediaType.APPLICATION_JSON)
    public ToolInvocationResult invoke(
            @HeaderParam(Headers.TENANT) String tenant, @PathParam("id") String id, ToolInvocationRequest body) {
        String checkedTenant = Tenants.require(tenant);
        if (body == null) {
            throw ProblemException.badRequest("body", "a JSON body is required");
        }
        InvokeToolCommand command = new InvokeToolCommand(
                checkedTenant,
                id,
                body.arguments(),
                body.agentType(),
                body.agentId(),
                body.runId(),
                body.idempotencyKey());
        try {
            InvocationResult result = invokeTool.invoke(command);
            Log.infof(
                    "tool invoked tenant=%s tool=%s agentType=%s agent=%s run=%s status=%s replayed=%s durationMs=%d",
                    checkedTenant,
                    id,
                    command.agentType(),
                    command.agentId(),
                    command.runId(),
                    result.status(),
                    result.replayed(),
                    result.durationMs());
            return ToolViews.result(result);
        } catch (ToolRefusal refused) {
            Log.infof(
                    "tool call refused tenant=%s tool=%s agentType=%s agent=%s run=%s status=%d field=%s",
                    checkedTenant,
                    id,
                    command.agentType(),
                    command.agentId(),
                    command.runId(),
                    ToolRefusalMapper.status(refused.reason()),
                    refused.field());
            throw refused;
        }
    }
}
