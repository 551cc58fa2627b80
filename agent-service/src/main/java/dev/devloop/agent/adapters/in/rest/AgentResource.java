package dev.devloop.agent.adapters.in.rest;

import dev.devloop.agent.domain.Agent;
import dev.devloop.agent.domain.AgentListKey;
import dev.devloop.agent.domain.AgentStatus;
import dev.devloop.agent.domain.Run;
import dev.devloop.agent.ports.in.ManageAgentsUseCase;
import dev.devloop.agent.ports.in.RunAgentUseCase;
import dev.devloop.agent.ports.in.SpawnAgentCommand;
import dev.devloop.agent.ports.in.StartRunCommand;
import dev.devloop.contracts.Headers;
import dev.devloop.contracts.PageKeys;
import dev.devloop.contracts.identity.Caller;
import dev.devloop.contracts.logging.LogFields;
import dev.devloop.contracts.problem.Problem;
import dev.devloop.contracts.problem.ProblemException;
import io.opentelemetry.api.trace.Span;
import io.smallrye.common.annotation.Blocking;
import jakarta.validation.Valid;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.RestResponse;

/** Agents and their runs: {@code POST /agents/{ref}/runs} runs a task on an agent id or a new agent of a type. */
@Tag(name = "Agents", description = "Agents, their trees and the runs started on them")
@Path("/agents")
@Produces(MediaType.APPLICATION_JSON)
@Blocking
public class AgentResource {
    private static final Logger LOG = Logger.getLogger(AgentResource.class);
    private static final int MAX_LIST = 500;
    private final RunAgentUseCase useCase;
    private final ManageAgentsUseCase agents;
    private final dev.devloop.agent.ports.in.AgentAvailabilityUseCase liveness;
    private final Caller caller;

    public AgentResource(
            RunAgentUseCase useCase,
            ManageAgentsUseCase agents,
            dev.devloop.agent.ports.in.AgentAvailabilityUseCase liveness,
            Caller caller) {
        this.useCase = useCase;
        this.agents = agents;
        this.liveness = liveness;
        this.caller = caller;
    }

    @POST
    @Path("/{ref}/runs")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Run a task on an agent id or a new agent of a type")
    @APIResponse(
            responseCode = "404",
            description = "No such agent or agent type",
            content =
                    @Content(mediaType = "application/problem+json", schema = @Schema(implementation = Problem.class)))
    @APIResponse(
            responseCode = "409",
            description = "The agent is retired, unresponsive or at its concurrent-run limit",
            content =
                    @Content(mediaType = "application/problem+json", schema = @Schema(implementation = Problem.class)))
    @APIResponse(
            responseCode = "202",
            description = "The run, started in the background (Location: /runs/{id})",
            content =
                    @Content(mediaType = "application/json", schema = @Schema(implementation = RunViews.RunView.class)))
    @APIResponse(
            responseCode = "200",
            description = "The finished run (wait=true)",
            content =
                    @Content(mediaType = "application/json", schema = @Schema(implementation = RunViews.RunView.class)))
    public Response startRun(
            @PathParam("ref") String ref,
            @QueryParam("wait") @DefaultValue("false") boolean wait,
            @Valid StartRunBody body) {
        String tenant = caller.tenant();
        if (body == null) {
            throw ProblemException.badRequest("input", "a JSON body with an 'input' string is required");
        }
        StartRunCommand command = new StartRunCommand(
                tenant, ref, body.input(), Span.current().getSpanContext().getTraceId());
        LogFields.of("tenant", tenant, "agentRef", ref, "wait", wait).info(LOG, "run requested");
        if (wait) {
            Run run = useCase.runToCompletion(command);
            return Response.ok(RunViews.of(run)).build();
        }
        Run run = useCase.runInBackground(command);
        return Response.accepted(RunViews.of(run))
                .location(URI.create("/runs/" + run.id()))
                .build();
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Spawn an agent")
    @APIResponse(
            responseCode = "404",
            description = "No such agent type or parent",
            content =
                    @Content(mediaType = "application/problem+json", schema = @Schema(implementation = Problem.class)))
    @APIResponse(
            responseCode = "409",
            description = "A hierarchy rule refuses the spawn",
            content =
                    @Content(mediaType = "application/problem+json", schema = @Schema(implementation = Problem.class)))
    @APIResponse(
            responseCode = "201",
            description = "The spawned agent",
            content =
                    @Content(
                            mediaType = "application/json",
                            schema = @Schema(implementation = RunViews.AgentView.class)))
    public Response spawn(@Valid SpawnAgentBody body) {
        String tenant = caller.tenant();
        if (body == null) {
            throw ProblemException.badRequest("type", "a JSON body with a 'type' is required");
        }
        Agent agent = agents.spawn(new SpawnAgentCommand(tenant, body.type(), body.parentId()));
        LogFields.of(
                        "tenant", tenant,
                        "agentId", agent.id(),
                        "agentType", agent.type(),
                        "parentId", agent.parentId())
                .info(LOG, "agent spawned");
        return Response.created(URI.create("/agents/" + agent.id()))
                .entity(RunViews.of(agent))
                .build();
    }

    /**
     * Agents newest first; keyset pages: when more follow, {@code X-Devloop-Next-After} carries the key to pass as
     * {@code after} for the next page.
     */
    @GET
    @Operation(summary = "List agents, newest first, in keyset pages")
    @APIResponse(
            responseCode = "200",
            description = "One page of agents; X-Devloop-Next-After when more follow",
            content =
                    @Content(
                            mediaType = "application/json",
                            schema =
                                    @Schema(
                                            implementation = RunViews.AgentView.class,
                                            type =
                                                    org.eclipse.microprofile.openapi.annotations.enums.SchemaType
                                                            .ARRAY)))
    public RestResponse<List<RunViews.AgentView>> list(
            @QueryParam("parentId") String parentId,
            @QueryParam("type") String type,
            @QueryParam("status") String status,
            @QueryParam("limit") @DefaultValue("100") int limit,
            @QueryParam("after") String after) {
        String tenant = caller.tenant();
        if (limit < 1 || limit > MAX_LIST) {
            throw ProblemException.badRequest("limit", "limit must be between 1 and " + MAX_LIST);
        }
        List<Agent> found = agents.list(tenant, parentId, type, parseStatus(status), limit + 1, afterKey(after));
        List<Agent> page = found.size() > limit ? found.subList(0, limit) : found;
        java.util.Map<String, dev.devloop.agent.domain.AgentLiveness> live = liveness.liveness(tenant, page);
        RestResponse.ResponseBuilder<List<RunViews.AgentView>> answer = RestResponse.ResponseBuilder.ok(
                page.stream().map(a -> RunViews.of(a, live.get(a.id()))).toList());
        if (found.size() > limit) {
            AgentListKey last = AgentListKey.of(page.get(limit - 1));
            answer.header(
                    Headers.NEXT_AFTER,
                    PageKeys.encode(Long.toString(last.createdAt().toEpochMilli()), last.id()));
        }
        return answer.build();
    }

    private static AgentListKey afterKey(String after) {
        List<String> parts = PageKeys.decode(after, 2);
        if (parts == null) {
            return null;
        }
        try {
            return new AgentListKey(Instant.ofEpochMilli(Long.parseLong(parts.get(0))), parts.get(1));
        } catch (NumberFormatException e) {
            throw ProblemException.badRequest("after", "after must be a " + Headers.NEXT_AFTER + " value of this list");
        }
    }

    /** The agent with all of its descendants. */
    @GET
    @Path("/{id}")
    @Operation(summary = "Read an agent with its subtree and liveness")
    @APIResponse(
            responseCode = "404",
            description = "No such agent",
            content =
                    @Content(mediaType = "application/problem+json", schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "200", description = "The agent and its subtree")
    public RunViews.AgentTreeView agent(@PathParam("id") String id) {
        String tenant = caller.tenant();
        dev.devloop.agent.domain.AgentTree tree = agents.tree(tenant, id)
                .orElseThrow(() -> ProblemException.notFound("agent-not-found", "no agent '" + id + "'"));
        List<Agent> all = new java.util.ArrayList<>();
        collect(tree, all);
        return RunViews.of(tree, liveness.liveness(tenant, all));
    }

    private static void collect(dev.devloop.agent.domain.AgentTree node, List<Agent> into) {
        into.add(node.agent());
        node.children().forEach(child -> collect(child, into));
    }

    /** Retires the agent and its whole subtree. */
    @DELETE
    @Path("/{id}")
    @Operation(summary = "Retire an agent and its whole subtree")
    @APIResponse(
            responseCode = "404",
            description = "No such agent",
            content =
                    @Content(mediaType = "application/problem+json", schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "200", description = "The retired agents, deepest first")
    public List<RunViews.AgentView> retire(@PathParam("id") String id) {
        String tenant = caller.tenant();
        List<Agent> retired = agents.retire(tenant, id);
        LogFields.of("tenant", tenant, "agentId", id, "count", retired.size()).info(LOG, "agents retired");
        return retired.stream().map(RunViews::of).toList();
    }

    private static AgentStatus parseStatus(String status) {
        if (status == null || status.isBlank()) {
            return null;
        }
        try {
            return AgentStatus.valueOf(status.toUpperCase());
        } catch (IllegalArgumentException e) {
            throw ProblemException.badRequest(
                    "status", "status must be one of " + java.util.Arrays.toString(AgentStatus.values()));
        }
    }
}
