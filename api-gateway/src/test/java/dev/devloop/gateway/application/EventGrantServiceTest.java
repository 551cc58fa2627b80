package dev.devloop.gateway.application;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.devloop.contracts.Topics;
import dev.devloop.contracts.events.GrantRevoked;
import dev.devloop.contracts.problem.Refusal;
import dev.devloop.gateway.domain.Caller;
import dev.devloop.gateway.domain.GrantRecord;
import dev.devloop.gateway.ports.out.GrantRecordsPort;
import dev.devloop.gateway.ports.out.PublishGrantRevocationPort;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Revocation order: published and acknowledged first, then the record says revoked; nothing else on a failure. */
class EventGrantServiceTest {
    private static final Instant NOW = Instant.parse("2026-12-05T10:00:00Z");
    private static final String ID = "3f1c2b9e-1d2a-4c5b-9e8f-0a1b2c3d4e5f";

    private final Map<String, GrantRecord> records = new HashMap<>();
    private final List<GrantRevoked> published = new ArrayList<>();
    private boolean kafkaAcks = true;

    private final GrantRecordsPort store = new GrantRecordsPort() {
        @Override
        public void save(GrantRecord record) {
            records.put(record.tenant() + "/" + record.id(), record);
        }

        @Override
        public Optional<GrantRecord> find(String tenant, String id) {
            return Optional.ofNullable(records.get(tenant + "/" + id));
        }

        @Override
        public List<GrantRecord> list(String tenant, Instant now, int offset, int limit) {
            return List.of();
        }

        @Override
        public boolean markRevoked(String tenant, String id, Instant at, String by) {
            GrantRecord record = records.get(tenant + "/" + id);
            records.put(tenant + "/" + id, record.revoke(at, by));
            return !record.revoked();
        }
    };

    private final EventGrantService service = new EventGrantService(
            null,
            store,
            revoked -> {
                if (!kafkaAcks) {
                    throw new PublishGrantRevocationPort.Unavailable("no ack", new RuntimeException("timeout"));
                }
                published.add(revoked);
            },
            new EventGrantService.Paging(50, 200),
            Clock.fixed(NOW, ZoneOffset.UTC));

    private final Caller admin = new Caller("ops-admin", "acme", Set.of("admin"));

    @Test
    void withoutKafkasAckTheRevocationIsA503AndTheGrantStaysLive() {
        records.put("acme/" + ID, live());
        kafkaAcks = false;
        assertThatThrownBy(() -> service.revoke(admin, ID))
                .isInstanceOfSatisfying(
                        Refusal.class, e -> assertThat(e.reason()).isEqualTo(Refusal.Reason.UNAVAILABLE));
        assertThat(records.get("acme/" + ID).revoked()).isFalse();

        kafkaAcks = true;
        assertThat(service.revoke(admin, ID).published()).isTrue();
        assertThat(published)
                .containsExactly(new GrantRevoked(ID, "acme", "producer-1", live().expiresAt(), "ops-admin"));
        assertThat(records.get("acme/" + ID).revokedBy()).isEqualTo("ops-admin");
        assertThat(service.revoke(admin, ID).published()).isFalse();
        assertThat(published).hasSize(1);
    }

    @Test
    void anotherTenantsGrantIsNotFound() {
        records.put("acme/" + ID, live());
        Caller stranger = new Caller("them", "other", Set.of("admin"));
        assertThatThrownBy(() -> service.revoke(stranger, ID))
                .isInstanceOfSatisfying(
                        Refusal.class, e -> assertThat(e.reason()).isEqualTo(Refusal.Reason.NOT_FOUND));
        assertThat(published).isEmpty();
    }

    private static GrantRecord live() {
        return new GrantRecord(
                ID, "acme", "producer-1", Topics.AGENT_TASKS, "ops-admin", NOW, NOW.plusSeconds(3600), null, null);
    }
}
