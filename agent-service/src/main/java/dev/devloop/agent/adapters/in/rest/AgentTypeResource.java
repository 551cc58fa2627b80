package dev.devloop.agent.adapters.in.rest;

import dev.devloop.agent.domain.AgentDefinition;
import dev.devloop.agent.ports.in.ManageAgentTypesUseCase;
import dev.devloop.contracts.Headers;
import dev.devloop.contracts.Tenants;
import dev.devloop.contracts.problem.ProblemException;
import io.quarkus.logging.Log;
import io.smallrye.common.annotation.Blocking;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.List;

/**
 * The agent types a tenant can run — the shipped ones and its own registrations — and registering,
 * updating and removing its own.
 */
@Path("/agent-types")
@Produces(MediaType.APPLICATION_JSON)
@Blocking
public class AgentTypeResource {
    private final ManageAgentTypesUseCase types;

    public AgentTypeResource(ManageAgentTypesUseCase types) {
        this.types = types;
    }

    @GET
    public List<RunViews.AgentTypeView> list(@HeaderParam(Headers.TENANT) String tenantHeader) {
        String tenant = Tenants.require(tenantHeader);
        return types.list(tenant).stream().map(this::view).toList();
    }

    @GET
    @Path("/{type}")
    public RunViews.AgentTypeView get(
            @HeaderParam(Headers.TENANT) String tenantHeader, @PathParam("type") String type) {
        String tenant = Tenants.require(tenantHeader);
        return types.find(tenant, type)
                .map(this::view)
                .orElseThrow(() -> ProblemException.notFound("agent-type-not-found", "no agent type '" + type + "'"));
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response register(
            @HeaderParam(Headers.TENANT) String tenantHeader,
            @HeaderParam(Headers.SUBJECT) String subject,
            AgentTypeBody body) {
        String tenant = Tenants.require(tenantHeader);
        AgentDefinition registered = types.register(tenant, required(body).toCommand(), subject);
        Log.infof("agent type registered tenant=%s type=%s level=%s", tenant, registered.type(), registered.level());
        return Response.created(URI.create("/agent-types/" + registered.type()))
                .entity(view(registered))
                .build();
    }

    @PUT
    @Path("/{type}")
    @Consumes(MediaType.APPLICATION_JSON)
    public RunViews.AgentTypeView update(
            @HeaderParam(Headers.TENANT) String tenantHeader,
            @HeaderParam(Headers.SUBJECT) String subject,
            @PathParam("type") String type,
            AgentTypeBody body) {
        String tenant = Tenants.require(tenantHeader);
        AgentDefinition updated = types.update(tenant, type, required(body).toCommand(), subject);
        Log.infof("agent type updated tenant=%s type=%s version=%d", tenant, type, updated.version());
        return view(updated);
    }

    /** The stored versions of a type, newest first (each with {@code version}, {@code changedBy}, {@code changedAt}). */
    @GET
    @Path("/{type}/versions")
    public List<RunViews.AgentTypeView> versions(
            @HeaderParam(Headers.TENANT) String tenantHeader,
            @PathParam("type") String type,
            @jakarta.ws.rs.QueryParam("limit") @jakarta.ws.rs.DefaultValue("100") int limit) {
        String tenant = Tenants.require(tenantHeader);
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
    public Response delete(@HeaderParam(Headers.TENANT) String tenantHeader, @PathParam("type") String type) {
        String tenant = Tenants.require(tenantHeader);
        types.delete(tenant, type);
        Log.infof("agent type removed tenant=%s type=%s", tenant, type);
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
