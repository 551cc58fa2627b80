package dev.devloop.gateway.adapters.in.rest;

import dev.devloop.contracts.logging.LogFields;
import dev.devloop.contracts.problem.Problem;
import dev.devloop.contracts.problem.ProblemException;
import dev.devloop.contracts.problem.ProblemResponses;
import dev.devloop.contracts.problem.Refusal;
import dev.devloop.gateway.application.GithubWebhookService;
import dev.devloop.gateway.config.GatewayConfig;
import dev.devloop.gateway.domain.Caller;
import dev.devloop.gateway.domain.GithubSignature;
import dev.devloop.gateway.domain.Roles;
import dev.devloop.gateway.ports.in.GithubDelivery;
import dev.devloop.gateway.ports.in.GithubOutcome;
import dev.devloop.gateway.ports.in.ManageGithubRepositoriesUseCase;
import dev.devloop.gateway.ports.in.ManageGithubSecretUseCase;
import dev.devloop.gateway.ports.in.ReceiveGithubWebhookUseCase;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.annotations.RegisterForReflection;
import io.smallrye.common.annotation.Blocking;
import jakarta.annotation.security.PermitAll;
import jakarta.annotation.security.RolesAllowed;
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
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.logging.Logger;

/**
 * {@code /api/v1/integrations/github}: GitHub's webhook deliveries (public: they prove themselves with the
 * tenant's secret), on the tenant's URL or on the un-tenanted one (tenant by registered repository), and the admin
 * routes that set the secret and register the tenant's repositories.
 */
@Path("/api/v1/integrations/github")
@Blocking
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "GitHub integration", description = "GitHub deliveries in, the tenant's secret and repositories")
public class GithubWebhookResource {
    private static final Logger LOG = Logger.getLogger(GithubWebhookResource.class);

    static final String METRIC = "devloop.gateway.github.webhooks";
    private static final String UNKNOWN = "unknown";

    private final ReceiveGithubWebhookUseCase deliveries;
    private final ManageGithubSecretUseCase secrets;
    private final ManageGithubRepositoriesUseCase repositories;
    private final JsonWebToken jwt;
    private final MeterRegistry metrics;
    private final GatewayConfig config;

    public GithubWebhookResource(
            ReceiveGithubWebhookUseCase deliveries,
            ManageGithubSecretUseCase secrets,
            ManageGithubRepositoriesUseCase repositories,
            JsonWebToken jwt,
            MeterRegistry metrics,
            GatewayConfig config) {
        this.deliveries = deliveries;
        this.secrets = secrets;
        this.repositories = repositories;
        this.jwt = jwt;
        this.metrics = metrics;
        this.config = config;
    }

    /** The body of {@code PUT /secret}. */
    @RegisterForReflection
    public record SecretBody(String secret) {}

    /** The tenant's registered repositories ("owner/name", lower case). */
    @RegisterForReflection
    public record RepositoryList(List<String> repositories) {}

    /** A registered repository ("owner/name", lower case). */
    @RegisterForReflection
    public record RepositoryView(String repository) {}

    /** A GitHub delivery; the tenant is the URL's, trusted only once the signature verifies under its secret. */
    @Operation(summary = "Receive a GitHub delivery for a tenant")
    @APIResponse(responseCode = "202", description = "accepted (or a duplicate delivery, acknowledged)")
    @POST
    @Path("/{tenant}/webhook")
    @PermitAll
    public Response receive(
            @PathParam("tenant") String tenant,
            @HeaderParam(GithubSignature.HEADER) String signature,
            @HeaderParam(GithubWebhookService.DELIVERY_HEADER) String deliveryId,
            @HeaderParam(GithubWebhookService.EVENT_HEADER) String event,
            byte[] body) {
        return answer(
                clip(tenant),
                deliveryId,
                event,
                () -> deliveries.receive(new GithubDelivery(tenant, deliveryId, event, signature, body)));
    }

    /**
     * The un-tenanted URL (the one issue #15 names): the tenant is the one whose admin registered the
     * payload's {@code repository.full_name}, and the signature must verify under that tenant's secret (an unknown
     * repository is the same 401 as a bad signature).
     */
    @Operation(summary = "Receive a GitHub delivery for a registered repository")
    @APIResponse(responseCode = "202", description = "accepted (or a duplicate delivery, acknowledged)")
    @POST
    @Path("/webhook")
    @PermitAll
    public Response receiveForRepository(
            @HeaderParam(GithubSignature.HEADER) String signature,
            @HeaderParam(GithubWebhookService.DELIVERY_HEADER) String deliveryId,
            @HeaderParam(GithubWebhookService.EVENT_HEADER) String event,
            byte[] body) {
        return answer(
                "(by repository)",
                deliveryId,
                event,
                () -> deliveries.receiveForRepository(new GithubDelivery(null, deliveryId, event, signature, body)));
    }

    private Response answer(String tenant, String deliveryId, String event, Supplier<GithubOutcome> receive) {
        GithubOutcome outcome;
        try {
            outcome = receive.get();
        } catch (Refusal e) {
            String reason =
                    switch (e.reason()) {
                        case UNAUTHORIZED -> "bad_signature";
                        case TOO_LARGE -> "too_large";
                        default -> "bad_request";
                    };
            count(UNKNOWN, reason);
            LogFields.of(
                            "tenant",
                            tenant,
                            "deliveryId",
                            clip(deliveryId),
                            "status",
                            e.reason().status(),
                            "reason",
                            reason)
                    .info(LOG, "github webhook refused");
            throw e;
        }
        count(event, outcome.tag());
        LogFields.of("tenant", tenant, "deliveryId", deliveryId, "event", event, "outcome", outcome.tag())
                .info(LOG, "github webhook handled");
        return switch (outcome) {
            case ACCEPTED ->
                Response.accepted(Map.of("id", deliveryId, "duplicate", false)).build();
            case DUPLICATE ->
                Response.ok(Map.of("id", deliveryId, "duplicate", true)).build();
            case PING -> Response.ok(Map.of("ping", true)).build();
            case IN_FLIGHT -> retryLater("github-delivery-in-flight", "this delivery is being published right now");
            case UNAVAILABLE ->
                retryLater(
                        "forge-events-unavailable",
                        "the event bus did not acknowledge the delivery; GitHub may redeliver it");
        };
    }

    /** Sets or rotates the tenant's secret (the previous one verifies for the configured grace period). */
    @Operation(summary = "Set or rotate the tenant's GitHub webhook secret")
    @APIResponse(responseCode = "204", description = "set")
    @PUT
    @Path("/secret")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.ADMIN)
    public Response setSecret(SecretBody body) {
        Caller caller = TokenCallers.from(jwt);
        if (body == null) {
            throw ProblemException.badRequest("secret", "a JSON body {secret} is required");
        }
        secrets.setSecret(caller.tenant(), body.secret());
        LogFields.of("tenant", caller.tenant(), "subject", caller.subject(), "decision", "allow")
                .info(LOG, "github webhook secret set");
        return Response.noContent().build();
    }

    /** The repositories whose deliveries the un-tenanted URL takes for this tenant. */
    @Operation(summary = "List the tenant's registered GitHub repositories")
    @APIResponse(
            responseCode = "200",
            description = "the repositories",
            content = @Content(schema = @Schema(implementation = RepositoryList.class)))
    @GET
    @Path("/repositories")
    @RolesAllowed(Roles.ADMIN)
    public Map<String, Object> repositories() {
        Caller caller = TokenCallers.from(jwt);
        return Map.of("repositories", repositories.repositories(caller.tenant()));
    }

    /** Registers a repository for the caller's tenant: 201, 200 when it held it already, 409 when another does. */
    @Operation(summary = "Register a GitHub repository for the tenant")
    @APIResponse(
            responseCode = "201",
            description = "registered (200 when the tenant held it already)",
            content = @Content(schema = @Schema(implementation = RepositoryView.class)))
    @PUT
    @Path("/repositories/{owner}/{name}")
    @RolesAllowed(Roles.ADMIN)
    public Response registerRepository(@PathParam("owner") String owner, @PathParam("name") String name) {
        Caller caller = TokenCallers.from(jwt);
        String repository = owner + "/" + name;
        boolean created = repositories.register(caller.tenant(), repository);
        LogFields.of(
                        "tenant",
                        caller.tenant(),
                        "subject",
                        caller.subject(),
                        "repository",
                        clip(repository),
                        "created",
                        created,
                        "decision",
                        "allow")
                .info(LOG, "github repository registered");
        Map<String, Object> answer = Map.of("repository", repository.toLowerCase(java.util.Locale.ROOT));
        return (created ? Response.status(Response.Status.CREATED) : Response.ok())
                .entity(answer)
                .build();
    }

    /** Removes a repository of the caller's tenant: 204, or 404 when the tenant does not hold it. */
    @Operation(summary = "Remove a GitHub repository of the tenant")
    @APIResponse(responseCode = "204", description = "removed")
    @DELETE
    @Path("/repositories/{owner}/{name}")
    @RolesAllowed(Roles.ADMIN)
    public Response unregisterRepository(@PathParam("owner") String owner, @PathParam("name") String name) {
        Caller caller = TokenCallers.from(jwt);
        String repository = owner + "/" + name;
        if (!repositories.unregister(caller.tenant(), repository)) {
            throw ProblemException.notFound(
                    "github-repository-not-found", "this tenant has not registered repository " + clip(repository));
        }
        LogFields.of(
                        "tenant",
                        caller.tenant(),
                        "subject",
                        caller.subject(),
                        "repository",
                        clip(repository),
                        "decision",
                        "allow")
                .info(LOG, "github repository removed");
        return Response.noContent().build();
    }

    private Response retryLater(String slug, String detail) {
        return Response.fromResponse(ProblemResponses.of(Problem.of(503, slug, "Dependency unavailable", detail)))
                .header(
                        "Retry-After",
                        Long.toString(config.github().retryAfter().toSeconds()))
                .build();
    }

    private void count(String event, String outcome) {
        metrics.counter(METRIC, "event", event == null ? UNKNOWN : event, "outcome", outcome)
                .increment();
    }

    /** Unverified input in a log line: bounded. */
    private static String clip(String value) {
        return value == null
                ? null
                : value.substring(0, Math.min(64, value.length())).replaceAll("[^\\x21-\\x7e]", "?");
    }
}
