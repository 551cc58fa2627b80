package dev.devloop.agent.adapters.in.rest;

import dev.devloop.agent.domain.AgentDefinition;
import dev.devloop.agent.ports.in.ManageAgentTypesUseCase;
import dev.devloop.contracts.identity.Caller;
import dev.devloop.contracts.logging.LogFields;
import dev.devloop.contracts.problem.Problem;
import dev.devloop.contracts.problem.ProblemException;
import io.smallrye.common.annotation.Blocking;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.logging.Logger;

/**
 * The agent types a tenant can run — the shipped ones and its own registrations — and registering,
 * updating and removing its own.
 */
@Tag(name = "Agent types", description = "Agent types registered by API for the calling tenant, and the shipped ones")
@Path("/agent-types")
@Produces(MediaType.APPLICATION_JSON)
@Blocking
public class AgentTypeResource {
    private static final Logger LOG = Logger.getLogger(AgentTypeResource.class);
    private final ManageAgentTypesUseCase types;
    private final Caller caller;

    public AgentTypeResource(ManageAgentTypesUseCase types, Caller caller) {
        this.types = types;
        this.caller = caller;
    }

    @GET
    @Operation(summary = "List the shipped and the tenant's agent types")
    @APIResponse(responseCode = "200", description = "The agent types")
    public List<RunViews.AgentTypeView> list() {
        String tenant = caller.tenant();
        return types.list(tenant).stream().map(this::view).toList();
    }

    @GET
    @Path("/{type}")
    @Operation(summary = "Read an agent type")
    @APIResponse(
            responseCode = "404",
            description = "No such agent type",
            content =
                    @Content(mediaType = "application/problem+json", schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "200", description = "The agent type")
    public RunViews.AgentTypeView get(@PathParam("type") String type) {
        String tenant = caller.tenant();
        return types.find(tenant, type)
                .map(this::view)
                .orElseThrow(() -> ProblemException.notFound("agent-type-not-found", "no agent type '" + type + "'"));
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Register an agent type for the tenant")
    @APIResponse(
            responseCode = "409",
            description = "A shipped type or one the tenant already has",
            content =
                    @Content(mediaType = "application/problem+json", schema = @Schema(implementation = Problem.class)))
    @APIResponse(
            responseCode = "201",
            description = "The registered agent type",
            content =
                    @Content(
                            mediaType = "application/json",
                            schema = @Schema(implementation = RunViews.AgentTypeView.class)))
    public Response register(AgentTypeBody body) {
        String tenant = caller.tenant();
        String subject = caller.subject().orElse(null);
        AgentDefinition registered = types.register(tenant, required(body).toCommand(), subject);
        LogFields.of("tenant", tenant, "agentType", registered.type(), "level", registered.level())
                .info(LOG, "agent type registered");
        return Response.created(URI.create("/agent-types/" + registered.type()))
                .entity(view(registered))
                .build();
    }

    @PUT
    @Path("/{type}")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Write the next version of a registered agent type")
    @APIResponse(
            responseCode = "404",
            description = "No such agent type",
            content =
                    @Content(mediaType = "application/problem+json", schema = @Schema(implementation = Problem.class)))
    @APIResponse(
            responseCode = "409",
            description = "A shipped type, or the version changed concurrently",
            content =
                    @Content(mediaType = "application/problem+json", schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "200", description = "The new version")
    public RunViews.AgentTypeView update(@PathParam("type") String type, AgentTypeBody body) {
        String tenant = caller.tenant();
        String subject = caller.subject().orElse(null);
        AgentDefinition updated = types.update(tenant, type, required(body).toCommand(), subject);
        LogFields.of("tenant", tenant, "agentType", type, "version", updated.version())
                .info(LOG, "agent type updated");
        return view(updated);
    }

    /** The stored versions of a type, newest first (each with {@code version}, {@code changedBy}, {@code changedAt}). */
    @GET
    @Path("/{type}/versions")
    @Operation(summary = "List the versions of an agent type, newest first")
    @APIResponse(
            responseCode = "404",
            description = "No such agent type",
            content =
                    @Content(mediaType = "application/problem+json", schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "200", description = "The versions, newest first")
    public List<RunViews.AgentTypeView> versions(
            @PathParam("type") String type,
            @jakarta.ws.rs.QueryParam("limit") @jakarta.ws.rs.DefaultValue("100") int limit) {
        String tenant = caller.tenant();
        if (limit < 1 || limit > dev.devloop.agent.application.AgentTypeService.MAX_VERSIONS_LISTED) {
            throw ProblemException.badRequest(
                    "limit",
                    "limit must be between 1 and "
                            + dev.devloop.agent.application.AgentTypeService.MAX_VERSIONS_LISTED);
        }
        return types.versions(tenant, type, limit).stream().map(this::view).toList();
    }

    @DELETE
    @Path("/{type}")
    @Operation(summary = "Delete a registered agent type")
    @APIResponse(
            responseCode = "404",
            description = "No such agent type",
            content =
                    @Content(mediaType = "application/problem+json", schema = @Schema(implementation = Problem.class)))
    @APIResponse(
            responseCode = "409",
            description = "A shipped type, one with live agents, or one another registration names",
            content =
                    @Content(mediaType = "application/problem+json", schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "204", description = "Deleted")
    public Response delete(@PathParam("type") String type) {
        String tenant = caller.tenant();
        types.delete(tenant, type);
        LogFields.of("tenant", tenant, "agentType", type).info(LOG, "agent type removed");
        return Response.noContent().build();
    }

    private static AgentTypeBody required(AgentTypeBody body) {
        if (body == null) {
            throw ProblemException.badRequest("type", "a JSON agent type definition is required");
        }
        return body;
    }

    private RunViews.AgentTypeView view(AgentDefinition d) {
        return RunViews.of(d, types.isShipped(d.type()));
    }
}
