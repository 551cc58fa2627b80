package dev.devloop.tools.adapters.in.rest;

import dev.devloop.contracts.identity.Caller;
import dev.devloop.contracts.logging.LogFields;
import dev.devloop.contracts.problem.Problem;
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
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.logging.Logger;

/** The registry and invocation API: list, register, read, disable and invoke tools. */
@Tag(name = "Tools", description = "The tool registry: shipped and tenant tools, and their invocations")
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
    @Operation(summary = "List the tool specs an agent type may call (enabled tools only)")
    @APIResponse(
            responseCode = "200",
            description = "The callable tools as tool specs",
            content =
                    @Content(
                            mediaType = MediaType.APPLICATION_JSON,
                            schema = @Schema(type = SchemaType.ARRAY, implementation = ToolViews.SpecView.class)))
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
    @Operation(summary = "Read one tool's registration")
    @APIResponse(
            responseCode = "200",
            description = "The registration",
            content =
                    @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ToolView.class)))
    @APIResponse(
            responseCode = "404",
            description = "No tool of that id for this tenant",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public ToolView get(@PathParam("id") String id) {
        String tenant = caller.tenant();
        ToolDefinition tool = manageTools.get(tenant, id);
        LogFields.of("tenant", tenant, "toolId", id).info(LOG, "tool read");
        return ToolViews.view(tool);
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Register or update one of the tenant's tools")
    @APIResponse(
            responseCode = "201",
            description = "Registered",
            content =
                    @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ToolView.class)))
    @APIResponse(
            responseCode = "200",
            description = "Updated",
            content =
                    @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ToolView.class)))
    @APIResponse(
            responseCode = "409",
            description = "The id is a shipped tool's",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
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
    @Operation(summary = "Disable one of the tenant's tools (shipped tools cannot be)")
    @APIResponse(
            responseCode = "200",
            description = "The disabled registration",
            content =
                    @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ToolView.class)))
    @APIResponse(
            responseCode = "404",
            description = "No tool of that id for this tenant",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public ToolView disable(@PathParam("id") String id) {
        String tenant = caller.tenant();
        ToolDefinition tool = manageTools.disable(tenant, id);
        LogFields.of("tenant", tenant, "toolId", id).info(LOG, "tool disabled");
        return ToolViews.view(tool);
    }

    @POST
    @Path("/{id}/invocations")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Invoke a tool with validated arguments, under its limits (idempotent by key)")
    @APIResponse(
            responseCode = "200",
            description = "The outcome: SUCCEEDED with output, or FAILED/TIMED_OUT with an error",
            content =
                    @Content(
                            mediaType = MediaType.APPLICATION_JSON,
                            schema = @Schema(implementation = ToolInvocationResult.class)))
    @APIResponse(
            responseCode = "404",
            description = "No tool of that id for this tenant",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(
            responseCode = "409",
            description =
                    "An agent tool (agent-service runs it), or the idempotency key is in use or was used for another tool",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(
            responseCode = "429",
            description = "The tenant's invocation quota ran out; Retry-After says when",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(
            responseCode = "501",
            description = "The tool's implementation is not available in this service",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
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
