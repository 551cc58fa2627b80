package dev.devloop.gateway.adapters.in.rest;

import dev.devloop.contracts.problem.Problem;
import dev.devloop.gateway.adapters.in.Audit;
import dev.devloop.gateway.domain.Caller;
import dev.devloop.gateway.domain.GrantRecord;
import dev.devloop.gateway.domain.RateLimitDecision;
import dev.devloop.gateway.domain.Roles;
import dev.devloop.gateway.ports.in.EventGrant;
import dev.devloop.gateway.ports.in.EventGrantsUseCase;
import dev.devloop.gateway.ports.in.RateLimitUseCase;
import io.quarkus.runtime.annotations.RegisterForReflection;
import io.smallrye.common.annotation.Blocking;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Instant;
import java.util.List;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * {@code /api/v1/event-grants}: a tenant admin's producer grants, with which the tenant's own Kafka producer sends
 * tasks on {@code devloop.agent.tasks} (header {@code devloop-grant}) for that tenant only — issued ({@code POST}),
 * listed without their tokens ({@code GET}) and revoked ({@code DELETE /{id}}).
 */
@Path("/api/v1/event-grants")
@Blocking
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Producer grants", description = "A tenant's own Kafka producers: grants issued, listed, revoked")
public class EventGrantsResource {
    private static final String PROBLEM = "application/problem+json";

    static final String ROUTE_KEY = "event-grants.write";
    static final String READ_ROUTE_KEY = "event-grants.read";
    private static final String ROUTE = "POST /api/v1/event-grants";
    private static final String LIST_ROUTE = "GET /api/v1/event-grants";
    private static final String REVOKE_ROUTE = "DELETE /api/v1/event-grants/{id}";

    private final EventGrantsUseCase grants;
    private final RateLimitUseCase rateLimits;
    private final JsonWebToken jwt;

    public EventGrantsResource(EventGrantsUseCase grants, RateLimitUseCase rateLimits, JsonWebToken jwt) {
        this.grants = grants;
        this.rateLimits = rateLimits;
        this.jwt = jwt;
    }

    /** The body: both fields optional. */
    @RegisterForReflection
    public record EventGrantBody(
            @Schema(description = "the topic the grant covers", defaultValue = "devloop.agent.tasks")
            String topic,

            @Schema(description = "lifetime in seconds, 60 to 7776000 (90 days)", defaultValue = "2592000")
            Long ttlSeconds) {}

    /** The answer: the grant, its id (to revoke it by) and the Kafka header to send it in. */
    @RegisterForReflection
    public record EventGrantView(
            String id, String grant, String header, String topic, String tenant, Instant expiresAt) {
        static EventGrantView of(EventGrant grant) {
            return new EventGrantView(
                    grant.id(), grant.grant(), grant.header(), grant.topic(), grant.tenant(), grant.expiresAt());
        }
    }

    /** A grant as listed: what was issued to whom, never the grant itself. */
    @RegisterForReflection
    public record GrantSummary(
            String id,
            String subject,
            String topic,
            String issuedBy,
            Instant issuedAt,
            Instant expiresAt,
            @Schema(description = "live or revoked") String status,
            Instant revokedAt,
            String revokedBy) {
        static GrantSummary of(GrantRecord record) {
            return new GrantSummary(
                    record.id(),
                    record.subject(),
                    record.topic(),
                    record.issuedBy(),
                    record.issuedAt(),
                    record.expiresAt(),
                    record.revoked() ? "revoked" : "live",
                    record.revokedAt(),
                    record.revokedBy());
        }
    }

    /** One page of the tenant's live grants; {@code nextCursor} null on the last. */
    @RegisterForReflection
    public record GrantPage(List<GrantSummary> items, String nextCursor) {}

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.ADMIN)
    @Operation(
            summary = "Issue a producer grant",
            description = "A grant for the caller's tenant with which the tenant's own Kafka producer sends records on"
                    + " the topic (header devloop-grant); records for another tenant are refused.")
    @RequestBody(content = @Content(schema = @Schema(implementation = EventGrantBody.class)))
    @APIResponse(
            responseCode = "201",
            description = "the grant",
            content = @Content(schema = @Schema(implementation = EventGrantView.class)))
    @APIResponse(
            responseCode = "400",
            description = "a bad topic or ttlSeconds, named in field",
            content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = Problem.class)))
    @APIResponse(
            responseCode = "403",
            description = "the caller is not an admin",
            content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = Problem.class)))
    public Response issue(byte[] body) {
        Caller caller = TokenCallers.from(jwt);
        EventGrantBody fields = StrictBodies.read(body, EventGrantBody.class, "{topic?, ttlSeconds?}");
        String topic = fields == null ? null : fields.topic();
        Long ttlSeconds = fields == null ? null : fields.ttlSeconds();
        RateLimitDecision limit = rateLimits.check(caller, ROUTE_KEY);
        if (!limit.allowed()) {
            return ServiceRoutes.tooManyRequests(ROUTE, caller, limit);
        }
        EventGrant grant = grants.issue(caller, topic, ttlSeconds);
        // the grant itself is a credential: never logged
        Audit.allow(
                "event grant issued",
                caller,
                "grant",
                grant.id(),
                "topic",
                grant.topic(),
                "expiresAt",
                grant.expiresAt());
        return ServiceRoutes.withLimitHeaders(
                        Response.status(Response.Status.CREATED).entity(EventGrantView.of(grant)), limit)
                .build();
    }

    @GET
    @RolesAllowed(Roles.ADMIN)
    @Operation(
            summary = "List the tenant's producer grants",
            description = "The tenant's grants that have not expired, revoked ones marked, soonest expiry first;"
                    + " never the grants themselves.")
    @APIResponse(
            responseCode = "200",
            description = "a page of grants",
            content = @Content(schema = @Schema(implementation = GrantPage.class)))
    @APIResponse(
            responseCode = "400",
            description = "a bad limit or cursor, named in field",
            content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = Problem.class)))
    @APIResponse(
            responseCode = "403",
            description = "the caller is not an admin",
            content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = Problem.class)))
    public Response list(@QueryParam("cursor") String cursor, @QueryParam("limit") Integer limit) {
        Caller caller = TokenCallers.from(jwt);
        RateLimitDecision decision = rateLimits.check(caller, READ_ROUTE_KEY);
        if (!decision.allowed()) {
            return ServiceRoutes.tooManyRequests(LIST_ROUTE, caller, decision);
        }
        EventGrantsUseCase.Page page = grants.list(caller, cursor, limit);
        GrantPage answer =
                new GrantPage(page.items().stream().map(GrantSummary::of).toList(), page.nextCursor());
        return ServiceRoutes.withLimitHeaders(Response.ok(answer), decision).build();
    }

    @DELETE
    @Path("/{id}")
    @RolesAllowed(Roles.ADMIN)
    @Operation(
            summary = "Revoke a producer grant",
            description = "Publishes the revocation on devloop.grants.revocations (answered once Kafka acknowledged"
                    + " it); consumers refuse the grant's records from then on. Revoking a revoked grant is a no-op.")
    @APIResponse(responseCode = "204", description = "revoked")
    @APIResponse(
            responseCode = "400",
            description = "the id is not a grant id",
            content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = Problem.class)))
    @APIResponse(
            responseCode = "403",
            description = "the caller is not an admin",
            content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = Problem.class)))
    @APIResponse(
            responseCode = "404",
            description = "no live grant of that id for this tenant",
            content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = Problem.class)))
    @APIResponse(
            responseCode = "503",
            description = "Kafka did not acknowledge the revocation; retry",
            content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = Problem.class)))
    public Response revoke(@PathParam("id") String id) {
        Caller caller = TokenCallers.from(jwt);
        RateLimitDecision limit = rateLimits.check(caller, ROUTE_KEY);
        if (!limit.allowed()) {
            return ServiceRoutes.tooManyRequests(REVOKE_ROUTE, caller, limit);
        }
        EventGrantsUseCase.Revocation revocation = grants.revoke(caller, id);
        Audit.allow("event grant revoked", caller, "grant", id, "published", revocation.published());
        return ServiceRoutes.withLimitHeaders(Response.noContent(), limit).build();
    }
}
