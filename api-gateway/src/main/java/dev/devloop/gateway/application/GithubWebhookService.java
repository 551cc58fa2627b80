package dev.devloop.gateway.application;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.devloop.contracts.Tenants;
import dev.devloop.contracts.events.CloudEvent;
import dev.devloop.contracts.problem.Refusal;
import dev.devloop.gateway.domain.GithubSecret;
import dev.devloop.gateway.domain.GithubSignature;
import dev.devloop.gateway.ports.in.GithubDelivery;
import dev.devloop.gateway.ports.in.GithubOutcome;
import dev.devloop.gateway.ports.in.ManageGithubRepositoriesUseCase;
import dev.devloop.gateway.ports.in.ManageGithubSecretUseCase;
import dev.devloop.gateway.ports.in.ReceiveGithubWebhookUseCase;
import dev.devloop.gateway.ports.out.DeliveryClaimsPort;
import dev.devloop.gateway.ports.out.GithubRepositoryStorePort;
import dev.devloop.gateway.ports.out.GithubSecretStorePort;
import dev.devloop.gateway.ports.out.PublishForgeEventPort;
import java.io.IOException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * GitHub webhooks in: bounded body, signature under the tenant's secret (or the previous one during its
 * grace period), replay refusal by delivery id, then one CloudEvent on {@code devloop.forge.events}. The tenant is
 * the URL's, or — on the un-tenanted URL — the one that registered the payload's repository.
 */
public final class GithubWebhookService
        implements ReceiveGithubWebhookUseCase, ManageGithubSecretUseCase, ManageGithubRepositoriesUseCase {
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
    /** A GitHub {@code owner/name}: an owner of 1-39 letters, digits and hyphens, a name of 1-100 of [A-Za-z0-9._-]. */
    public static final Pattern REPOSITORY = Pattern.compile("[A-Za-z0-9][A-Za-z0-9-]{0,38}/[A-Za-z0-9._-]{1,100}");
    /** Repositories one tenant may register. */
    public static final int MAX_REPOSITORIES = 1000;
    /** Verified against when a tenant has no secret, so both refusals cost the same. */
    private static final String NO_SECRET = randomSecret();

    /** Bounds and windows. */
    public record Limits(int maxBodyBytes, Duration replayWindow, Duration pendingTtl, Duration secretGrace) {}

    private final GithubSecretStorePort secrets;
    private final GithubRepositoryStorePort repositories;
    private final DeliveryClaimsPort claims;
    private final PublishForgeEventPort publisher;
    private final ObjectMapper json;
    private final Limits limits;
    private final Clock clock;

    public GithubWebhookService(
            GithubSecretStorePort secrets,
            GithubRepositoryStorePort repositories,
            DeliveryClaimsPort claims,
            PublishForgeEventPort publisher,
            ObjectMapper json,
            Limits limits,
            Clock clock) {
        this.secrets = secrets;
        this.repositories = repositories;
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
    public GithubOutcome receiveForRepository(GithubDelivery delivery) {
        byte[] body = delivery.body() == null ? new byte[0] : delivery.body();
        if (body.length > limits.maxBodyBytes()) {
            throw tooLarge(limits.maxBodyBytes());
        }
        // an unknown repository leaves the tenant null: verify() then refuses it exactly like a bad signature
        String tenant = repositoryOf(body).flatMap(repositories::owner).orElse(null);
        return receive(new GithubDelivery(tenant, delivery.deliveryId(), delivery.event(), delivery.signature(), body));
    }

    @Override
    public boolean register(String tenant, String repository) {
        String name = repositoryName(repository);
        if (repositories.owner(name).isEmpty() && repositories.count(tenant) >= MAX_REPOSITORIES) {
            throw new Refusal(
                    Refusal.Reason.CONFLICT,
                    "github-repository-limit-reached",
                    "Too many repositories",
                    "a tenant may register at most " + MAX_REPOSITORIES + " repositories",
                    "repository");
        }
        return switch (repositories.register(tenant, name)) {
            case REGISTERED -> true;
            case ALREADY_YOURS -> false;
            case OWNED_BY_ANOTHER ->
                throw new Refusal(
                        Refusal.Reason.CONFLICT,
                        "github-repository-taken",
                        "Conflict",
                        "repository " + name + " is registered by another tenant",
                        "repository");
        };
    }

    @Override
    public List<String> repositories(String tenant) {
        return repositories.list(tenant, MAX_REPOSITORIES);
    }

    @Override
    public boolean unregister(String tenant, String repository) {
        return repositories.remove(tenant, repositoryName(repository));
    }

    /** {@code owner/name} in lower case (GitHub's names are case-insensitive), or a refusal naming the field. */
    static String repositoryName(String repository) {
        if (repository == null || !REPOSITORY.matcher(repository).matches()) {
            throw Refusal.invalid(
                    "repository", "repository must be a GitHub owner/name (" + REPOSITORY.pattern() + ")");
        }
        return repository.toLowerCase(Locale.ROOT);
    }

    /** The payload's {@code repository.full_name} when it is a well-formed name; the payload is not trusted yet. */
    private Optional<String> repositoryOf(byte[] body) {
        try {
            JsonNode fullName = json.readTree(body).path("repository").path("full_name");
            if (fullName.isTextual() && REPOSITORY.matcher(fullName.textValue()).matches()) {
                return Optional.of(fullName.textValue().toLowerCase(Locale.ROOT));
            }
        } catch (IOException | RuntimeException e) {
            // not JSON (or empty): no repository, refused as unsigned
        }
        return Optional.empty();
    }

    @Override
    public void setSecret(String tenant, String secret) {
        if (secret == null
                || secret.length() < MIN_SECRET
                || secret.length() > MAX_SECRET
                || !SECRET.matcher(secret).matches()) {
            throw Refusal.invalid(
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
            throw new Refusal(
                    Refusal.Reason.UNAUTHORIZED,
                    "github-signature-invalid",
                    "Unauthorized",
                    "the request is not signed with this URL's webhook secret (" + GithubSignature.HEADER + ")",
                    null);
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
        throw Refusal.invalid(
                "body", "the payload must be a JSON object: set the webhook's content type to application/json");
    }

    private static String header(String name, String value, Pattern pattern, String what) {
        if (value == null || !pattern.matcher(value).matches()) {
            throw Refusal.invalid(name, name + " must be " + what);
        }
        return value;
    }

    public static Refusal tooLarge(int max) {
        return Refusal.tooLarge("the webhook payload exceeds " + max + " bytes");
    }

    private static String randomSecret() {
        byte[] bytes = new byte[32];
        new SecureRandom().nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }
}
