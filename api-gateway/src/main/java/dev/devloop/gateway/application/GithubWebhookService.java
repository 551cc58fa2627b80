package dev.devloop.gateway.application;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.devloop.contracts.Tenants;
import dev.devloop.contracts.events.CloudEvent;
import dev.devloop.contracts.problem.Problem;
import dev.devloop.contracts.problem.ProblemException;
import dev.devloop.gateway.domain.GithubSecret;
import dev.devloop.gateway.domain.GithubSignature;
import dev.devloop.gateway.ports.in.GithubDelivery;
import dev.devloop.gateway.ports.in.GithubOutcome;
import dev.devloop.gateway.ports.in.ManageGithubSecretUseCase;
import dev.devloop.gateway.ports.in.ReceiveGithubWebhookUseCase;
import dev.devloop.gateway.ports.out.DeliveryClaimsPort;
import dev.devloop.gateway.ports.out.GithubSecretStorePort;
import dev.devloop.gateway.ports.out.PublishForgeEventPort;
import java.io.IOException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * GitHub webhooks in: bounded body, signature under the tenant's secret (or the previous one during its
 * grace period), replay refusal by delivery id, then one CloudEvent on {@code devloop.forge.events}.
 */
public final class GithubWebhookService implements ReceiveGithubWebhookUseCase, ManageGithubSecretUseCase {
    public static final String SOURCE = "/devloop/api-gateway/github";
    public static final String TYPE_PREFIX = "dev.devloop.forge.github.";
    public static final String DELIVERY_HEADER = "X-GitHub-Delivery";
    public static final String EVENT_HEADER = "X-GitHub-Event";
    private static final Pattern DELIVERY_ID =
            Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
    private static final Pattern EVENT = Pattern.compile("[a-z][a-z_]{0,63}");
    private static final Pattern SECRET = Pattern.compile("[\\x21-\\x7e]+");
    public static final int MIN_SECRET = 20;
    public static final int MAX_SECRET = 256;
    /** Verified against when a tenant has no secret, so both refusals cost the same. */
    private static final String NO_SECRET = randomSecret();

    /** Bounds and windows. */
    public record Limits(int maxBodyBytes, Duration replayWindow, Duration pendingTtl, Duration secretGrace) {}

    private final GithubSecretStorePort secrets;
    private final DeliveryClaimsPort claims;
    private final PublishForgeEventPort publisher;
    private final ObjectMapper json;
    private final Limits limits;
    private final Clock clock;

    public GithubWebhookService(
            GithubSecretStorePort secrets,
            DeliveryClaimsPort claims,
            PublishForgeEventPort publisher,
            ObjectMapper json,
            Limits limits,
            Clock clock) {
        this.secrets = secrets;
        this.claims = claims;
        this.publisher = publisher;
        this.json = json;
        this.limits = limits;
        this.clock = clock;
    }

    @Override
    public GithubOutcome receive(GithubDelivery delivery) {
        byte[] body = delivery.body() == null ? new byte[0] : delivery.body();
        if (body.length > limits.maxBodyBytes()) {
            throw tooLarge(limits.maxBodyBytes());
        }
        verify(delivery.tenant(), delivery.signature(), body);
        String deliveryId = header(DELIVERY_HEADER, delivery.deliveryId(), DELIVERY_ID, "a UUID");
        String event = header(EVENT_HEADER, delivery.event(), EVENT, "a GitHub event name");
        if ("ping".equals(event)) {
            return GithubOutcome.PING;
        }
        JsonNode payload = parse(body);
        DeliveryClaimsPort.Claim claim;
        try {
            claim = claims.claim(delivery.tenant(), deliveryId.toLowerCase(), limits.pendingTtl());
        } catch (DeliveryClaimsPort.Unavailable e) {
            return GithubOutcome.UNAVAILABLE;
        }
        if (claim == DeliveryClaimsPort.Claim.DONE) {
            return GithubOutcome.DUPLICATE;
        }
        if (claim == DeliveryClaimsPort.Claim.IN_FLIGHT) {
            return GithubOutcome.IN_FLIGHT;
        }
        try {
            publisher.publish(event(delivery.tenant(), deliveryId, event, payload));
        } catch (PublishForgeEventPort.Unavailable e) {
            claims.release(delivery.tenant(), deliveryId.toLowerCase());
            return GithubOutcome.UNAVAILABLE;
        }
        claims.complete(delivery.tenant(), deliveryId.toLowerCase(), limits.replayWindow());
        return GithubOutcome.ACCEPTED;
    }

    @Override
    public void setSecret(String tenant, String secret) {
        if (secret == null
                || secret.length() < MIN_SECRET
                || secret.length() > MAX_SECRET
                || !SECRET.matcher(secret).matches()) {
            throw ProblemException.badRequest(
                    "secret", "secret must be " + MIN_SECRET + " to " + MAX_SECRET + " visible ASCII characters");
        }
        Instant now = clock.instant();
        GithubSecret next = secrets.find(tenant)
                .map(s -> s.rotatedTo(secret, now, limits.secretGrace()))
                .orElseGet(() -> GithubSecret.first(tenant, secret, now));
        secrets.save(next);
    }

    private void verify(String tenant, String signature, byte[] body) {
        Optional<GithubSecret> secret =
                tenant != null && Tenants.PATTERN.matcher(tenant).matches() ? secrets.find(tenant) : Optional.empty();
        List<String> accepted = secret.map(s -> s.accepted(clock.instant())).orElse(List.of(NO_SECRET));
        boolean valid = GithubSignature.verifies(signature, body, accepted);
        if (!valid || secret.isEmpty()) {
            throw new ProblemException(Problem.of(
                    401,
                    "github-signature-invalid",
                    "Unauthorized",
                    "the request is not signed with this URL's webhook secret (" + GithubSignature.HEADER + ")"));
        }
    }

    private CloudEvent event(String tenant, String deliveryId, String event, JsonNode payload) {
        JsonNode fullName = payload.path("repository").path("full_name");
        return new CloudEvent(
                CloudEvent.SPEC_VERSION,
                deliveryId,
                SOURCE,
                TYPE_PREFIX + event,
                clock.instant().toString(),
                fullName.isTextual() ? fullName.asText() : null,
                CloudEvent.JSON,
                tenant,
                payload);
    }

    private JsonNode parse(byte[] body) {
        try {
            JsonNode payload = json.readTree(body);
            if (payload != null && payload.isObject()) {
                return payload;
            }
        } catch (JsonProcessingException e) {
            // answered below
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        throw ProblemException.badRequest(
                "body", "the payload must be a JSON object: set the webhook's content type to application/json");
    }

    private static String header(String name, String value, Pattern pattern, String what) {
        if (value == null || !pattern.matcher(value).matches()) {
            throw ProblemException.badRequest(name, name + " must be " + what);
        }
        return value;
    }

    public static ProblemException tooLarge(int max) {
        return new ProblemException(new Problem(
                Problem.TYPE_BASE + "payload-too-large",
                "Payload too large",
                413,
                "the webhook payload exceeds " + max + " bytes",
                null,
                "body",
                null));
    }

    private static String randomSecret() {
        byte[] bytes = new byte[32];
        new SecureRandom().nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }
}
