package dev.devloop.gateway.application;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.devloop.contracts.events.CloudEvent;
import dev.devloop.contracts.problem.Refusal;
import dev.devloop.gateway.domain.GithubSecret;
import dev.devloop.gateway.domain.GithubSignature;
import dev.devloop.gateway.ports.in.GithubDelivery;
import dev.devloop.gateway.ports.in.GithubOutcome;
import dev.devloop.gateway.ports.out.DeliveryClaimsPort;
import dev.devloop.gateway.ports.out.GithubRepositoryStorePort;
import dev.devloop.gateway.ports.out.GithubSecretStorePort;
import dev.devloop.gateway.ports.out.PublishForgeEventPort;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** GitHub webhooks in with hand-written in-memory ports: rotation grace, Kafka down, replays, bounds. */
class GithubWebhookServiceTest {
    private static final String OLD = "old-secret-0123456789-abc";
    private static final String NEW = "new-secret-0123456789-xyz";
    private static final byte[] BODY =
            "{\"action\":\"closed\",\"repository\":{\"full_name\":\"octo/repo\"}}".getBytes(StandardCharsets.UTF_8);
    private static final String DELIVERY = "72d3162e-cc78-11e3-81ab-4c9367dc0958";

    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-25T10:00:00Z"));
    private final Map<String, GithubSecret> secrets = new HashMap<>();
    private final Map<String, String> claims = new HashMap<>();
    private final List<CloudEvent> published = new ArrayList<>();
    private final Map<String, String> owners = new TreeMap<>();
    private boolean kafkaDown;
    private final GithubWebhookService service = new GithubWebhookService(
            new SecretStore(),
            new Repositories(),
            new Claims(),
            event -> {
                if (kafkaDown) {
                    throw new PublishForgeEventPort.Unavailable("down", null);
                }
                published.add(event);
            },
            new ObjectMapper(),
            new GithubWebhookService.Limits(1024, Duration.ofHours(72), Duration.ofSeconds(60), Duration.ofHours(1)),
            clock);

    @Test
    void afterARotationThePreviousSecretVerifiesOnlyDuringTheGracePeriod() {
        service.setSecret("acme", OLD);
        service.setSecret("acme", NEW);
        assertThat(service.receive(delivery(OLD, "ping", DELIVERY))).isEqualTo(GithubOutcome.PING);
        assertThat(service.receive(delivery(NEW, "ping", DELIVERY))).isEqualTo(GithubOutcome.PING);
        clock.advance(Duration.ofMinutes(61));
        assertThatThrownBy(() -> service.receive(delivery(OLD, "ping", DELIVERY)))
                .isInstanceOf(Refusal.class)
                .extracting(e -> ((Refusal) e).problem().status())
                .isEqualTo(401);
        assertThat(service.receive(delivery(NEW, "ping", DELIVERY))).isEqualTo(GithubOutcome.PING);
        service.setSecret("acme", NEW);
        assertThat(secrets.get("acme").previous())
                .as("re-setting the same secret is no rotation")
                .isEqualTo(OLD);
    }

    @Test
    void kafkaDownAnswersUnavailableAndReleasesTheDeliverySoTheRedeliveryIsTaken() {
        service.setSecret("acme", NEW);
        kafkaDown = true;
        assertThat(service.receive(delivery(NEW, "pull_request", DELIVERY))).isEqualTo(GithubOutcome.UNAVAILABLE);
        assertThat(claims).isEmpty();
        kafkaDown = false;
        assertThat(service.receive(delivery(NEW, "pull_request", DELIVERY))).isEqualTo(GithubOutcome.ACCEPTED);
        assertThat(service.receive(delivery(NEW, "pull_request", DELIVERY))).isEqualTo(GithubOutcome.DUPLICATE);
        assertThat(published).singleElement().satisfies(e -> {
            assertThat(e.id()).isEqualTo(DELIVERY);
            assertThat(e.type()).isEqualTo("dev.devloop.forge.github.pull_request");
            assertThat(e.subject()).isEqualTo("octo/repo");
            assertThat(e.tenant()).isEqualTo("acme");
        });
    }

    @Test
    void aDeliveryBeingPublishedElsewhereIsInFlightNotDuplicate() {
        service.setSecret("acme", NEW);
        claims.put("acme:" + DELIVERY, "pending");
        assertThat(service.receive(delivery(NEW, "push", DELIVERY))).isEqualTo(GithubOutcome.IN_FLIGHT);
        assertThat(published).isEmpty();
    }

    @Test
    void anOversizedBodyIs413BeforeAnyLookupAndAShortSecretIs400() {
        byte[] big = new byte[1025];
        assertThatThrownBy(() -> service.receive(new GithubDelivery("acme", DELIVERY, "push", "sha256=00", big)))
                .isInstanceOf(Refusal.class)
                .extracting(e -> ((Refusal) e).problem().status())
                .isEqualTo(413);
        assertThatThrownBy(() -> service.setSecret("acme", "too-short"))
                .isInstanceOf(Refusal.class)
                .extracting(e -> ((Refusal) e).problem().field())
                .isEqualTo("secret");
        assertThat(secrets).isEmpty();
    }

    @Test
    void theUntenantedUrlVerifiesWithTheSecretOfTheTenantOwningTheRepository() {
        service.setSecret("acme", NEW);
        service.setSecret("globex", OLD);
        assertThat(service.register("acme", "Octo/Repo")).isTrue();
        assertThat(service.register("acme", "octo/repo"))
                .as("again: already the tenant's")
                .isFalse();
        assertThatThrownBy(() -> service.register("globex", "OCTO/repo"))
                .isInstanceOf(Refusal.class)
                .satisfies(e -> {
                    assertThat(((Refusal) e).problem().status()).isEqualTo(409);
                    assertThat(((Refusal) e).field()).isEqualTo("repository");
                });
        assertThatThrownBy(() -> service.register("acme", "no-slash"))
                .isInstanceOf(Refusal.class)
                .extracting(e -> ((Refusal) e).problem().field())
                .isEqualTo("repository");
        assertThat(service.repositories("acme")).containsExactly("octo/repo");
        assertThat(service.repositories("globex")).isEmpty();

        assertThat(service.receiveForRepository(untenanted(NEW, DELIVERY, BODY)))
                .isEqualTo(GithubOutcome.ACCEPTED);
        assertThat(service.receiveForRepository(untenanted(NEW, DELIVERY, BODY)))
                .as("replayed delivery id")
                .isEqualTo(GithubOutcome.DUPLICATE);
        assertThat(published).singleElement().satisfies(e -> assertThat(e.tenant())
                .isEqualTo("acme"));

        byte[] unknownRepo = "{\"repository\":{\"full_name\":\"other/repo\"}}".getBytes(StandardCharsets.UTF_8);
        byte[] noRepo = "{\"zen\":\"hi\"}".getBytes(StandardCharsets.UTF_8);
        String second = "72d3162e-cc78-11e3-81ab-4c9367dc0959";
        for (GithubDelivery refused : List.of(
                untenanted(OLD, second, BODY), // globex's secret on acme's repository
                untenanted(NEW, second, unknownRepo),
                untenanted(NEW, second, noRepo),
                untenanted(NEW, second, "not json".getBytes(StandardCharsets.UTF_8)))) {
            assertThatThrownBy(() -> service.receiveForRepository(refused))
                    .isInstanceOf(Refusal.class)
                    .satisfies(e -> assertThat(((Refusal) e).problem())
                            .isEqualTo(catchRefusal(
                                            () -> service.receive(delivery("wrong-secret-0123456789", "push", second)))
                                    .problem()));
        }
        assertThat(service.unregister("globex", "octo/repo")).isFalse();
        assertThat(service.unregister("acme", "octo/repo")).isTrue();
        assertThatThrownBy(() -> service.receiveForRepository(untenanted(NEW, second, BODY)))
                .isInstanceOf(Refusal.class);
        assertThat(published).hasSize(1);
    }

    private static Refusal catchRefusal(Runnable call) {
        try {
            call.run();
        } catch (Refusal e) {
            return e;
        }
        throw new AssertionError("not refused");
    }

    private static GithubDelivery untenanted(String secret, String id, byte[] body) {
        String signature = "sha256=" + HexFormat.of().formatHex(GithubSignature.hmac(secret, body));
        return new GithubDelivery(null, id, "pull_request", signature, body);
    }

    private static GithubDelivery delivery(String secret, String event, String id) {
        String signature = "sha256=" + HexFormat.of().formatHex(GithubSignature.hmac(secret, BODY));
        return new GithubDelivery("acme", id, event, signature, BODY);
    }

    private final class SecretStore implements GithubSecretStorePort {
        @Override
        public Optional<GithubSecret> find(String tenant) {
            return Optional.ofNullable(secrets.get(tenant));
        }

        @Override
        public void save(GithubSecret secret) {
            secrets.put(secret.tenant(), secret);
        }
    }

    private final class Repositories implements GithubRepositoryStorePort {
        @Override
        public Registration register(String tenant, String repository) {
            String owner = owners.putIfAbsent(repository, tenant);
            return owner == null
                    ? Registration.REGISTERED
                    : owner.equals(tenant) ? Registration.ALREADY_YOURS : Registration.OWNED_BY_ANOTHER;
        }

        @Override
        public Optional<String> owner(String repository) {
            return Optional.ofNullable(owners.get(repository));
        }

        @Override
        public List<String> list(String tenant, int limit) {
            return owners.entrySet().stream()
                    .filter(e -> e.getValue().equals(tenant))
                    .map(Map.Entry::getKey)
                    .limit(limit)
                    .toList();
        }

        @Override
        public long count(String tenant) {
            return list(tenant, Integer.MAX_VALUE).size();
        }

        @Override
        public boolean remove(String tenant, String repository) {
            return owners.remove(repository, tenant);
        }
    }

    private final class Claims implements DeliveryClaimsPort {
        @Override
        public Claim claim(String tenant, String deliveryId, Duration pendingTtl) {
            String state = claims.putIfAbsent(tenant + ":" + deliveryId, "pending");
            return state == null ? Claim.CLAIMED : "done".equals(state) ? Claim.DONE : Claim.IN_FLIGHT;
        }

        @Override
        public void complete(String tenant, String deliveryId, Duration window) {
            claims.put(tenant + ":" + deliveryId, "done");
        }

        @Override
        public void release(String tenant, String deliveryId) {
            claims.remove(tenant + ":" + deliveryId, "pending");
        }
    }

    private static final class MutableClock extends Clock {
        private Instant now;

        MutableClock(Instant now) {
            this.now = now;
        }

        void advance(Duration by) {
            now = now.plus(by);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
