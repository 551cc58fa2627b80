package dev.devloop.agent.adapters.in.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import com.mongodb.client.MongoClient;
import com.mongodb.client.model.Filters;
import dev.devloop.agent.adapters.in.rest.TestPortsAccess;
import dev.devloop.agent.config.AgentServiceConfig;
import dev.devloop.agent.domain.Run;
import dev.devloop.agent.domain.RunStatus;
import dev.devloop.agent.ports.out.RunRepositoryPort;
import dev.devloop.contracts.Topics;
import dev.devloop.contracts.events.EventNames;
import dev.devloop.contracts.events.EventSignatures;
import dev.devloop.contracts.events.GrantRevocations;
import dev.devloop.contracts.events.GrantRevoked;
import dev.devloop.contracts.events.testing.TestEvents;
import dev.devloop.contracts.identity.ServiceKeys;
import dev.devloop.contracts.identity.testing.TestCredentials;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import org.apache.kafka.common.header.Header;
import org.bson.Document;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * Revocations arrive on the real Kafka signed by api-gateway and are kept in the real MongoDB: the revoked grant's
 * next task is dead-lettered and counted, another grant of the same tenant still runs; a revocation from another
 * producer or unsigned is dead-lettered and not applied; a replayed one changes nothing.
 */
@QuarkusTest
class GrantRevocationConsumerTest {
    private static final EventSignatures GATEWAY = new EventSignatures(
            ServiceKeys.open(TestCredentials.keyDir(), EventSignatures.GRANT_ISSUER, true), "devloop-cell");

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @ConfigProperty(name = "mp.messaging.incoming.agent-tasks.topic")
    String tasksTopic;

    @ConfigProperty(name = "mp.messaging.incoming.agent-tasks.dead-letter-queue.topic")
    String tasksDeadLetterTopic;

    @ConfigProperty(name = "mp.messaging.incoming.grant-revocations-in.topic")
    String revocationsTopic;

    @ConfigProperty(name = "mp.messaging.incoming.grant-revocations-in.dead-letter-queue.topic")
    String revocationsDeadLetterTopic;

    @Inject
    GrantRevocations revocations;

    @Inject
    RunRepositoryPort runs;

    @Inject
    MeterRegistry meters;

    @Inject
    MongoClient mongo;

    @Inject
    AgentServiceConfig config;

    private final String tenant = "t-" + UUID.randomUUID();

    @Test
    void aRevokedGrantsNextTaskIsDeadLetteredWhileAnotherGrantOfTheTenantStillRuns() throws Exception {
        TestPortsAccess.model().answer("task done");
        EventSignatures.IssuedGrant revoked = issue();
        EventSignatures.IssuedGrant kept = issue();
        double refusedBefore = refused("revoked");

        String revocation = revocation(revoked, tenant);
        kafka().send(revocationsTopic, revoked.id(), revocation, signedBy("api-gateway", revocation));
        awaitTrue(() -> revocations.revoked(revoked.id()), "the revocation is kept");

        String refusedTask = "revoked-" + UUID.randomUUID();
        assertThat(kafka().deadLetterReason(
                                tasksTopic,
                                tasksDeadLetterTopic,
                                tenant,
                                refusedTask,
                                task(refusedTask),
                                granted(revoked)))
                .contains("producer grant " + revoked.id())
                .contains("tenant '" + tenant + "'")
                .contains("revoked");
        assertThat(runs.find(tenant, Run.idForTask(tenant, refusedTask))).isEmpty();
        assertThat(refused("revoked")).isEqualTo(refusedBefore + 1);

        String acceptedTask = "kept-" + UUID.randomUUID();
        kafka().send(tasksTopic, tenant, task(acceptedTask), granted(kept));
        awaitTrue(
                () -> runs.find(tenant, Run.idForTask(tenant, acceptedTask))
                        .map(r -> r.status() == RunStatus.COMPLETED)
                        .orElse(false),
                "the other grant's task runs to completion");
    }

    @Test
    void aRevocationFromAnotherProducerIsDeadLetteredAndNotApplied() throws Exception {
        EventSignatures.IssuedGrant grant = issue();
        String value = revocation(grant, tenant);
        assertThat(kafka().deadLetterReason(
                                revocationsTopic,
                                revocationsDeadLetterTopic,
                                grant.id(),
                                grant.id(),
                                value,
                                signedBy("tool-service", value)))
                .contains("tool-service may not produce");
        assertThat(revocations.revoked(grant.id())).isFalse();
    }

    @Test
    void anUnsignedRevocationIsDeadLetteredAndNotApplied() throws Exception {
        EventSignatures.IssuedGrant grant = issue();
        assertThat(kafka().deadLetterReason(
                                revocationsTopic,
                                revocationsDeadLetterTopic,
                                grant.id(),
                                grant.id(),
                                revocation(grant, tenant),
                                List.of()))
                .contains("devloop-signature");
        assertThat(revocations.revoked(grant.id())).isFalse();
    }

    @Test
    void aRevocationWhoseDataNamesAnotherTenantIsDeadLetteredAndNotApplied() throws Exception {
        EventSignatures.IssuedGrant grant = issue();
        String victim = "victim-" + UUID.randomUUID().toString().substring(0, 8);
        String value = revocation(grant, victim);
        assertThat(kafka().deadLetterReason(
                                revocationsTopic,
                                revocationsDeadLetterTopic,
                                grant.id(),
                                grant.id(),
                                value,
                                signedBy("api-gateway", value)))
                .contains("data.tenant is '" + victim + "'");
        assertThat(revocations.revoked(grant.id())).isFalse();
    }

    @Test
    void aReplayedRevocationChangesNothing() throws Exception {
        EventSignatures.IssuedGrant grant = issue();
        String value = revocation(grant, tenant);
        List<Header> headers = signedBy("api-gateway", value);
        kafka().send(revocationsTopic, grant.id(), value, headers);
        awaitTrue(() -> revocations.revoked(grant.id()), "the revocation is kept");
        Document first = stored(grant.id());
        double replayedBefore = applied("replayed");

        kafka().send(revocationsTopic, grant.id(), value, headers);
        awaitTrue(() -> applied("replayed") >= replayedBefore + 1, "the replay is taken");

        assertThat(stored(grant.id())).isEqualTo(first);
        assertThat(first.getDate("expiresAt").toInstant()).isEqualTo(grant.expiresAt());
        assertThat(first).containsEntry("tenant", tenant).containsEntry("revokedBy", "admin@" + tenant);
    }

    private EventSignatures.IssuedGrant issue() {
        return GATEWAY.issueGrant(Topics.AGENT_TASKS, tenant, "test", Duration.ofHours(1));
    }

    /** A revocation of {@code grant} with the tenant attribute of this test and {@code dataTenant} in its data. */
    private String revocation(EventSignatures.IssuedGrant grant, String dataTenant) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("grantId", grant.id());
        data.put("tenant", dataTenant);
        data.put("subject", "test");
        data.put("expiresAt", grant.expiresAt().toString());
        data.put("revokedBy", "admin@" + dataTenant);
        return TestEvents.value(EventNames.source("api-gateway"), GrantRevoked.TYPE, tenant, data);
    }

    private static List<Header> signedBy(String service, String value) {
        return TestEvents.signedBy(service, Topics.GRANT_REVOCATIONS, value);
    }

    private static List<Header> granted(EventSignatures.IssuedGrant grant) {
        return List.of(TestEvents.header(EventSignatures.GRANT_HEADER, grant.token()));
    }

    /** A task event with id {@code id} (its run is {@code Run.idForTask(tenant, id)}). */
    private String task(String id) {
        return """
        {"specversion":"1.0","id":"%s","source":"/external/producer","type":"dev.devloop.agent.task",
         "tenant":"%s","datacontenttype":"application/json",
         "data":{"agentType":"assistant","input":"summarise the day"}}""".formatted(id, tenant);
    }

    private Document stored(String grantId) {
        return mongo.getDatabase(config.database())
                .getCollection("grant_revocations")
                .find(Filters.eq("_id", grantId))
                .first();
    }

    private double refused(String kind) {
        return Optional.ofNullable(meters.find("devloop.agent.tasks.refused")
                        .tag("kind", kind)
                        .counter())
                .map(c -> c.count())
                .orElse(0.0);
    }

    private double applied(String outcome) {
        return Optional.ofNullable(meters.find("devloop.agent.grant.revocations")
                        .tag("outcome", outcome)
                        .counter())
                .map(c -> c.count())
                .orElse(0.0);
    }

    private static void awaitTrue(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as(what).isLessThan(deadline);
            Thread.sleep(100);
        }
    }

    private KafkaRecords kafka() {
        return new KafkaRecords(bootstrap);
    }
}
