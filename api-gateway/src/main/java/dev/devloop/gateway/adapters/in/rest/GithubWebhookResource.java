package dev.devloop.gateway.adapters.in.rest;

import dev.devloop.contracts.problem.Problem;
import dev.devloop.contracts.problem.ProblemException;
import dev.devloop.contracts.problem.ProblemResponses;
import dev.devloop.gateway.application.GithubWebhookService;
import dev.devloop.gateway.config.GatewayConfig;
import dev.devloop.gateway.domain.Caller;
import dev.devloop.gateway.domain.GithubSignature;
import dev.devloop.gateway.domain.Roles;
import dev.devloop.gateway.ports.in.GithubDelivery;
import dev.devloop.gateway.ports.in.GithubOutcome;
import dev.devloop.gateway.ports.in.ManageGithubSecretUseCase;
import dev.devloop.gateway.ports.in.ReceiveGithubWebhookUseCase;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import io.quarkus.runtime.annotations.RegisterForReflection;
import io.smallrye.common.annotation.Blocking;
import jakarta.annotation.security.PermitAll;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Map;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * {@code /api/v1/integrations/github}: GitHub's webhook deliveries (public: they prove themselves with the
 * tenant's secret) and the admin route that sets that secret.
 */
@Path("/api/v1/integrations/github")
@Blocking
@Produces(MediaType.APPLICATION_JSON)
public class GithubWebhookResource {
    static final String METRIC = "devloop.gateway.github.webhooks";
    private static final String UNKNOWN = "unknown";

    private final ReceiveGithubWebhookUseCase deliveries;
    private final ManageGithubSecretUseCase secrets;
    private final JsonWebToken jwt;
    private final MeterRegistry metrics;
    private final GatewayConfig config;

    public GithubWebhookResource(
            ReceiveGithubWebhookUseCase deliveries,
            ManageGithubSecretUseCase secrets,
            JsonWebToken jwt,
            MeterRegistry metrics,
            GatewayConfig config) {
        this.deliveries = deliveries;
        this.secrets = secrets;
        this.jwt = jwt;
        this.metrics = metrics;
        this.config = config;
    }

    /** The body of {@code PUT /secret}. */
    @RegisterForReflection
    public record SecretBody(String secret) {}

    /** A GitHub delivery; the tenant is the URL's, trusted only once the signature verifies under its secret. */
    @POST
    @Path("/{tenant}/webhook")
    @PermitAll
    public Response receive(
            @PathParam("tenant") String tenant,
            @HeaderParam(GithubSignature.HEADER) String signature,
            @HeaderParam(GithubWebhookService.DELIVERY_HEADER) String deliveryId,
            @HeaderParam(GithubWebhookService.EVENT_HEADER) String event,
            byte[] body) {
        GithubOutcome outcome;
        try {
            outcome = deliveries.receive(new GithubDelivery(tenant, deliveryId, event, signature, body));
        } catch (ProblemException e) {
            String reason =
                    switch (e.problem().status()) {
                        case 401 -> "bad_signature";
                        case 413 -> "too_large";
                        default -> "bad_request";
                    };
            count(UNKNOWN, reason);
            Log.infof(
                    "github webhook refused tenant=%s delivery=%s status=%d reason=%s",
                    clip(tenant), clip(deliveryId), e.problem().status(), reason);
            throw e;
        }
        count(event, outcome.tag());
        Log.infof("github webhook tenant=%s delivery=%s event=%s outcome=%s", tenant, deliveryId, event, outcome.tag());
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
        Log.infof("github webhook secret set tenant=%s sub=%s decision=allow", caller.tenant(), caller.subject());
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
