package dev.devloop.tools.adapters.in.rest;

import dev.devloop.contracts.identity.Caller;
import dev.devloop.contracts.logging.LogFields;
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
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.List;
import org.jboss.logging.Logger;

/** The registry and invocation API: list, register, read, disable and invoke tools. */
@Path("/tools")
@Produces(MediaType.APPLICATION_JSON)
public class ToolResource {
    private static final Logger LOG = Logger.getLogger(ToolResource.class);

    private final ListToolsUseCase listTools;
    private final ManageToolsUseCase manageTools;
    private final InvokeToolUseCase invokeTool;
    private final Caller caller;

    ToolResource(
            ListToolsUseCase listTools, ManageToolsUseCase manageTools, InvokeToolUseCase invokeTool, Caller caller) {
        this.listTools = listTools;
        this.manageTools = manageTools;
        this.invokeTool = invokeTool;
        this.caller = caller;
    }

    @GET
    public List<ToolViews.SpecView> specs(@QueryParam("agentType") String agentType) {
        String tenant = caller.tenant();
        List<ToolViews.SpecView> specs = listTools.callableBy(tenant, agentType).stream()
                .map(ToolViews::spec)
                .toList();
        LogFields.of("tenant", tenant, "agentType", agentType, "count", specs.size())
                .info(LOG, "tool specs listed");
        return specs;
    }

    @GET
    @Path("/{id}")
    public ToolView get(@PathParam("id") String id) {
        String tenant = caller.tenant();
        ToolDefinition tool = manageTools.get(tenant, id);
        LogFields.of("tenant", tenant, "toolId", id).info(LOG, "tool read");
        return ToolViews.view(tool);
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response register(ToolRegistrationBody body) {
        String tenant = caller.tenant();
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
                tenant,
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
        LogFields.of("tenant", tenant, "toolId", tool.id(), "created", registration.created())
                .info(LOG, "tool registered");
        return Response.status(registration.created() ? Response.Status.CREATED : Response.Status.OK)
                .location(URI.create("/tools/" + tool.id()))
                .entity(ToolViews.view(tool))
                .build();
    }

    @POST
    @Path("/{id}/disable")
    public ToolView disable(@PathParam("id") String id) {
        String tenant = caller.tenant();
        ToolDefinition tool = manageTools.disable(tenant, id);
        LogFields.of("tenant", tenant, "toolId", id).info(LOG, "tool disabled");
        return ToolViews.view(tool);
    }

    @POST
    @Path("/{id}/invocations")
    @Consumes(MediaType.APPLICATION_JSON)
    public ToolInvocationResult invoke(@PathParam("id") String id, ToolInvocationRequest body) {
        String tenant = caller.tenant();
        if (body == null) {
            throw ProblemException.badRequest("body", "a JSON body is required");
        }
        InvokeToolCommand command = new InvokeToolCommand(
                tenant, id, body.arguments(), body.agentType(), body.agentId(), body.runId(), body.idempotencyKey());
        try {
            InvocationResult result = invokeTool.invoke(command);
            callFields(command)
                    .and("status", result.status())
                    .and("replayed", result.replayed())
                    .and("durationMs", result.durationMs())
                    .info(LOG, "tool invoked");
            return ToolViews.result(result);
        } catch (ToolRefusal refused) {
            callFields(command)
                    .and("status", ToolRefusalMapper.status(refused.reason()))
                    .and("field", refused.field())
                    .info(LOG, "tool call refused");
            throw refused;
        }
    }

    private static LogFields callFields(InvokeToolCommand command) {
        return LogFields.of(
                "tenant", command.tenant(),
                "toolId", command.toolId(),
                "agentType", command.agentType(),
                "agentId", command.agentId(),
                "runId", command.runId());
    }
}
