package dev.devloop.gateway.adapters.in.rest;

import com.fasterxml.jackson.databind.JsonNode;
import dev.devloop.contracts.logging.LogFields;
import dev.devloop.gateway.domain.Caller;
import dev.devloop.gateway.domain.RateLimitDecision;
import dev.devloop.gateway.domain.Roles;
import dev.devloop.gateway.ports.in.EventGrant;
import dev.devloop.gateway.ports.in.GatewayRefusal;
import dev.devloop.gateway.ports.in.IssueEventGrantUseCase;
import dev.devloop.gateway.ports.in.RateLimitUseCase;
import io.quarkus.runtime.annotations.RegisterForReflection;
import io.smallrye.common.annotation.Blocking;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Instant;
import java.util.Iterator;
import java.util.Set;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.jboss.logging.Logger;

/**
 * {@code POST /api/v1/event-grants}: a tenant admin's producer grant, with which the tenant's own Kafka producer
 * sends tasks on {@code devloop.agent.tasks} (header {@code devloop-grant}) for that tenant only.
 */
@Path("/api/v1/event-grants")
@Blocking
@Produces(MediaType.APPLICATION_JSON)
public class EventGrantsResource {
    private static final Logger LOG = Logger.getLogger(EventGrantsResource.class);

    static final String ROUTE_KEY = "event-grants.write";
    private static final String ROUTE = "POST /api/v1/event-grants";
    private static final Set<String> FIELDS = Set.of("topic", "ttlSeconds");

    private final IssueEventGrantUseCase grants;
    private final RateLimitUseCase rateLimits;
    private final JsonWebToken jwt;

    public EventGrantsResource(IssueEventGrantUseCase grants, RateLimitUseCase rateLimits, JsonWebToken jwt) {
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

    /** The answer: the grant and the Kafka header to send it in. */
    @RegisterForReflection
    public record EventGrantView(String grant, String header, String topic, String tenant, Instant expiresAt) {
        static EventGrantView of(EventGrant grant) {
            return new EventGrantView(grant.grant(), grant.header(), grant.topic(), grant.tenant(), grant.expiresAt());
        }
    }

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
    @APIResponse(responseCode = "400", description = "a bad topic or ttlSeconds, named in field")
    @APIResponse(responseCode = "403", description = "the caller is not an admin")
    @APIResponse(responseCode = "429", description = "rate limited")
    public Response issue(JsonNode body) {
        Caller caller = TokenCallers.from(jwt);
        String topic = null;
        Long ttlSeconds = null;
        if (body != null && !body.isNull()) {
            if (!body.isObject()) {
                throw GatewayRefusal.invalid("body", "the body is a JSON object {topic?, ttlSeconds?}");
            }
            for (Iterator<String> names = body.fieldNames(); names.hasNext(); ) {
                String name = names.next();
                if (!FIELDS.contains(name)) {
                    throw GatewayRefusal.invalid(name, "unknown field; the body is {topic?, ttlSeconds?}");
                }
            }
            topic = topic(body.get("topic"));
            ttlSeconds = ttlSeconds(body.get("ttlSeconds"));
        }
        RateLimitDecision limit = rateLimits.check(caller, ROUTE_KEY);
        if (!limit.allowed()) {
            return ServiceRoutes.tooManyRequests(ROUTE, caller, limit);
        }
        EventGrant grant = grants.issue(caller, topic, ttlSeconds);
        // the grant itself is a credential: never logged
        LogFields.of(
                        "tenant",
                        caller.tenant(),
                        "subject",
                        caller.subject(),
                        "role",
                        caller.highestRole(),
                        "topic",
                        grant.topic(),
                        "expiresAt",
                        grant.expiresAt(),
                        "decision",
                        "allow")
                .info(LOG, "event grant issued");
        return ServiceRoutes.withLimitHeaders(
                        Response.status(Response.Status.CREATED).entity(EventGrantView.of(grant)), limit)
                .build();
    }

    private static String topic(JsonNode node) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isTextual()) {
            throw GatewayRefusal.invalid("topic", "topic must be a string");
        }
        return node.asText();
    }

    private static Long ttlSeconds(JsonNode node) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isIntegralNumber() || !node.canConvertToLong()) {
            throw GatewayRefusal.invalid("ttlSeconds", "ttlSeconds must be a whole number of seconds");
        }
        return node.asLong();
    }
}
