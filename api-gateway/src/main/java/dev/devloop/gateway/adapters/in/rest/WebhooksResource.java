package dev.devloop.gateway.adapters.in.rest;

import dev.devloop.contracts.logging.LogFields;
import dev.devloop.contracts.problem.ProblemException;
import dev.devloop.gateway.domain.Caller;
import dev.devloop.gateway.domain.DeliveryAttempt;
import dev.devloop.gateway.domain.Roles;
import dev.devloop.gateway.domain.Webhook;
import dev.devloop.gateway.ports.in.ManageWebhooksUseCase;
import dev.devloop.gateway.ports.in.RegisterWebhookCommand;
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
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.logging.Logger;

/** {@code /api/v1/webhooks}: a tenant's webhook subscriptions and their delivery log. */
@Path("/api/v1/webhooks")
@Blocking
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Webhooks", description = "The tenant's outbound webhooks and their deliveries")
public class WebhooksResource {
    private static final Logger LOG = Logger.getLogger(WebhooksResource.class);

    private final ManageWebhooksUseCase webhooks;
    private final JsonWebToken jwt;

    public WebhooksResource(ManageWebhooksUseCase webhooks, JsonWebToken jwt) {
        this.webhooks = webhooks;
        this.jwt = jwt;
    }

    /** The body of {@code POST /api/v1/webhooks}. */
    @RegisterForReflection
    public record RegisterWebhookBody(String url, List<String> eventTypes, String secret) {}

    /** A webhook as clients see it; {@code secret} only in the answer to its registration. */
    @RegisterForReflection
    public record WebhookView(String id, String url, Set<String> eventTypes, Instant createdAt, String secret) {
        static WebhookView of(Webhook webhook, boolean withSecret) {
            return new WebhookView(
                    webhook.id(),
                    webhook.url(),
                    webhook.eventTypes(),
                    webhook.createdAt(),
                    withSecret ? webhook.secret() : null);
        }
    }

    /** One delivery attempt as clients see it. */
    @RegisterForReflection
    public record DeliveryView(
            String deliveryId,
            String eventId,
            String eventType,
            int attempt,
            String outcome,
            int httpStatus,
            String error,
            Instant at) {
        static DeliveryView of(DeliveryAttempt a) {
            return new DeliveryView(
                    a.deliveryId(),
                    a.eventId(),
                    a.eventType(),
                    a.attempt(),
                    a.outcome().name(),
                    a.httpStatus(),
                    a.error(),
                    a.at());
        }
    }

    /** The tenant's webhooks. */
    @RegisterForReflection
    public record WebhookList(List<WebhookView> items) {}

    /** A webhook's delivery attempts. */
    @RegisterForReflection
    public record DeliveryList(List<DeliveryView> items) {}

    /** Registers a webhook; a secret is generated when none is given and returned only here. */
    @Operation(summary = "Register a webhook")
    @APIResponse(
            responseCode = "201",
            description = "the webhook, with its secret (shown only here)",
            content = @Content(schema = @Schema(implementation = WebhookView.class)))
    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed({Roles.OPERATOR, Roles.ADMIN})
    public Response register(RegisterWebhookBody body) {
        Caller caller = TokenCallers.from(jwt);
        if (body == null) {
            throw ProblemException.badRequest("body", "a JSON body {url, eventTypes, secret?} is required");
        }
        Webhook webhook = webhooks.register(
                new RegisterWebhookCommand(caller.tenant(), body.url(), body.eventTypes(), body.secret()));
        LogFields.of(
                        "tenant",
                        caller.tenant(),
                        "subject",
                        caller.subject(),
                        "webhookId",
                        webhook.id(),
                        "eventTypes",
                        webhook.eventTypes(),
                        "decision",
                        "allow")
                .info(LOG, "webhook registered");
        return Response.created(URI.create("/api/v1/webhooks/" + webhook.id()))
                .entity(WebhookView.of(webhook, true))
                .build();
    }

    /** The tenant's webhooks (no secrets). */
    @Operation(summary = "List the tenant's webhooks")
    @APIResponse(
            responseCode = "200",
            description = "the webhooks",
            content = @Content(schema = @Schema(implementation = WebhookList.class)))
    @GET
    @RolesAllowed({Roles.VIEWER, Roles.OPERATOR, Roles.ADMIN})
    public WebhookList list() {
        Caller caller = TokenCallers.from(jwt);
        List<WebhookView> items = webhooks.list(caller.tenant()).stream()
                .map(w -> WebhookView.of(w, false))
                .toList();
        LogFields.of("tenant", caller.tenant(), "subject", caller.subject(), "count", items.size(), "decision", "allow")
                .info(LOG, "webhooks listed");
        return new WebhookList(items);
    }

    /** Deletes a webhook of the tenant (404 for another tenant's). */
    @Operation(summary = "Delete a webhook")
    @APIResponse(responseCode = "204", description = "deleted")
    @DELETE
    @Path("/{id}")
    @RolesAllowed({Roles.OPERATOR, Roles.ADMIN})
    public Response delete(@PathParam("id") String id) {
        Caller caller = TokenCallers.from(jwt);
        if (!webhooks.delete(caller.tenant(), id)) {
            throw notFound(id);
        }
        LogFields.of("tenant", caller.tenant(), "subject", caller.subject(), "webhookId", id, "decision", "allow")
                .info(LOG, "webhook deleted");
        return Response.noContent().build();
    }

    /** The latest delivery attempts of a webhook of the tenant, newest first. */
    @Operation(summary = "List a webhook's delivery attempts")
    @APIResponse(
            responseCode = "200",
            description = "the delivery attempts",
            content = @Content(schema = @Schema(implementation = DeliveryList.class)))
    @GET
    @Path("/{id}/deliveries")
    @RolesAllowed({Roles.VIEWER, Roles.OPERATOR, Roles.ADMIN})
    public DeliveryList deliveries(@PathParam("id") String id) {
        Caller caller = TokenCallers.from(jwt);
        List<DeliveryView> items = webhooks.deliveries(caller.tenant(), id).orElseThrow(() -> notFound(id)).stream()
                .map(DeliveryView::of)
                .toList();
        LogFields.of(
                        "tenant",
                        caller.tenant(),
                        "subject",
                        caller.subject(),
                        "webhookId",
                        id,
                        "count",
                        items.size(),
                        "decision",
                        "allow")
                .info(LOG, "webhook deliveries listed");
        return new DeliveryList(items);
    }

    private static ProblemException notFound(String id) {
        return ProblemException.notFound("webhook-not-found", "no webhook '" + id + "' for this tenant");
    }
}
