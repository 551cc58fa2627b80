package dev.devloop.contracts.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.devloop.contracts.Topics;
import dev.devloop.contracts.events.InvalidEventException.Kind;
import dev.devloop.contracts.identity.ServiceKeys;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EventSignaturesTest {
    @TempDir
    Path dir;

    private final ObjectMapper json = new ObjectMapper();
    private final CloudEventCodec codec = new CloudEventCodec(json);

    private EventSignatures keysOf(String service) {
        return new EventSignatures(ServiceKeys.open(dir, service, true), "devloop-cell");
    }

    private CloudEvent event(String tenant) {
        return CloudEvent.of(
                "/devloop/agent-service",
                "dev.devloop.agent.run.finished",
                null,
                tenant,
                json.valueToTree(Map.of("runId", "r1")));
    }

    private EventGate gate(boolean required) {
        return new EventGate(codec, keysOf("api-gateway"), required);
    }

    @Test
    void aRecordSignedByItsProducerIsAccepted() {
        String value = codec.encode(event("acme"));
        String signature = keysOf("agent-service")
                .sign(Topics.AGENT_RESULTS, "acme", read(value).id(), value);

        EventGate.Accepted accepted =
                gate(true).accept(Topics.AGENT_RESULTS, value, signature, null, CloudEventCodec.Limits.DEFAULT);

        assertThat(accepted.producer()).isEqualTo("agent-service");
        assertThat(accepted.event().tenant()).isEqualTo("acme");
    }

    @Test
    void aChangedTenantBreaksTheSignature() {
        String value = codec.encode(event("acme"));
        String signature = keysOf("agent-service")
                .sign(Topics.AGENT_RESULTS, "acme", read(value).id(), value);
        String forged = value.replace("\"tenant\":\"acme\"", "\"tenant\":\"victim\"");

        assertRefused(
                () -> gate(true).accept(Topics.AGENT_RESULTS, forged, signature, null, limits()),
                Kind.FORGED,
                "does not match its signature");
    }

    @Test
    void aServiceMayNotProduceOnAnotherServicesTopic() {
        String value = codec.encode(event("acme"));
        String signature = keysOf("tool-service")
                .sign(Topics.AGENT_RESULTS, "acme", read(value).id(), value);

        assertRefused(
                () -> gate(true).accept(Topics.AGENT_RESULTS, value, signature, null, limits()),
                Kind.NOT_ALLOWED,
                "tool-service may not produce on devloop.agent.results");
    }

    @Test
    void aSignatureForOneTopicDoesNotCarryToAnother() {
        String value = codec.encode(event("acme"));
        String signature = keysOf("agent-service")
                .sign(Topics.AGENT_LIFECYCLE, "acme", read(value).id(), value);

        assertRefused(
                () -> gate(true).accept(Topics.AGENT_RESULTS, value, signature, null, limits()),
                Kind.FORGED,
                "another topic");
    }

    @Test
    void aKeyOutsideTheCellDoesNotVerify(@TempDir Path elsewhere) {
        String value = codec.encode(event("acme"));
        EventSignatures stranger =
                new EventSignatures(ServiceKeys.open(elsewhere, "agent-service", true), "devloop-cell");
        String signature =
                stranger.sign(Topics.AGENT_RESULTS, "acme", read(value).id(), value);

        assertRefused(
                () -> gate(true).accept(Topics.AGENT_RESULTS, value, signature, null, limits()),
                Kind.FORGED,
                "does not verify");
    }

    @Test
    void anUnsignedRecordIsRefusedUnlessSignaturesAreOff() {
        String value = codec.encode(event("acme"));
        assertRefused(
                () -> gate(true).accept(Topics.AGENT_RESULTS, value, null, null, limits()),
                Kind.UNSIGNED,
                "devloop-signature");
        assertThat(gate(false)
                        .accept(Topics.AGENT_RESULTS, value, null, null, limits())
                        .producer())
                .isEqualTo(EventGate.UNSIGNED);
    }

    @Test
    void aGrantAdmitsItsTenantOnlyOnItsTopic() {
        String grant = keysOf("api-gateway").grant(Topics.AGENT_TASKS, "acme", "alice", Duration.ofDays(1));
        String own = codec.encode(event("acme"));
        String other = codec.encode(event("victim"));

        assertThat(gate(true)
                        .accept(Topics.AGENT_TASKS, own, null, grant, limits())
                        .producer())
                .isEqualTo("grant:alice");
        assertRefused(
                () -> gate(true).accept(Topics.AGENT_TASKS, other, null, grant, limits()),
                Kind.NOT_ALLOWED,
                "CloudEvent attribute 'tenant'");
        assertRefused(
                () -> gate(true).accept(Topics.AGENT_RESULTS, own, null, grant, limits()),
                Kind.NOT_ALLOWED,
                "does not cover");
    }

    @Test
    void aRevokedGrantIsRefusedAndItsSiblingsStillAdmitted() {
        EventSignatures.IssuedGrant revoked =
                keysOf("api-gateway").issueGrant(Topics.AGENT_TASKS, "acme", "alice", Duration.ofDays(1));
        EventSignatures.IssuedGrant kept =
                keysOf("api-gateway").issueGrant(Topics.AGENT_TASKS, "acme", "bob", Duration.ofDays(1));
        assertThat(revoked.id()).isNotEqualTo(kept.id());
        assertThat(revoked.expiresAt()).isAfter(java.time.Instant.now().plus(Duration.ofHours(23)));
        String value = codec.encode(event("acme"));
        EventGate gate = new EventGate(codec, keysOf("agent-service"), true, grantId -> grantId.equals(revoked.id()));

        assertRefused(
                () -> gate.accept(Topics.AGENT_TASKS, value, null, revoked.token(), limits()),
                Kind.REVOKED,
                revoked.id());
        assertThat(gate.accept(Topics.AGENT_TASKS, value, null, kept.token(), limits())
                        .producer())
                .isEqualTo("grant:bob");
        assertThat(gate(true)
                        .accept(Topics.AGENT_TASKS, value, null, revoked.token(), limits())
                        .producer())
                .as("without a revocation list the grant still verifies")
                .isEqualTo("grant:alice");
    }

    @Test
    void onlyTheGatewayIssuesGrantsAndAGrantIsNoSignature() {
        String notGateway = keysOf("tool-service").grant(Topics.AGENT_TASKS, "acme", "mallory", Duration.ofDays(1));
        String value = codec.encode(event("acme"));

        assertRefused(
                () -> gate(true).accept(Topics.AGENT_TASKS, value, null, notGateway, limits()),
                Kind.FORGED,
                "issued by api-gateway");
        String grant = keysOf("api-gateway").grant(Topics.AGENT_TASKS, "acme", "alice", Duration.ofDays(1));
        assertRefused(
                () -> gate(true).accept(Topics.AGENT_TASKS, value, grant, null, limits()),
                Kind.FORGED,
                "not a record signature");
        assertThatThrownBy(() -> keysOf("api-gateway").grant(Topics.AGENT_RESULTS, "acme", "a", Duration.ofDays(1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> keysOf("api-gateway").grant(Topics.AGENT_TASKS, "acme", "a", Duration.ofDays(91)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private CloudEvent read(String value) {
        return codec.decode(value, limits());
    }

    private static CloudEventCodec.Limits limits() {
        return CloudEventCodec.Limits.DEFAULT;
    }

    private static void assertRefused(Runnable call, Kind kind, String reason) {
        assertThatThrownBy(call::run)
                .isInstanceOfSatisfying(
                        InvalidEventException.class, e -> assertThat(e.kind()).isEqualTo(kind))
                .hasMessageContaining(reason);
    }
}
