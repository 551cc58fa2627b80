package dev.devloop.gateway.application;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.devloop.contracts.problem.Refusal;
import dev.devloop.gateway.domain.Caller;
import dev.devloop.gateway.domain.DownstreamResponse;
import dev.devloop.gateway.domain.IdempotencyClaim;
import dev.devloop.gateway.ports.in.StartRunCommand;
import dev.devloop.gateway.ports.in.StartRunResult;
import dev.devloop.gateway.ports.out.AgentServicePort;
import dev.devloop.gateway.ports.out.IdempotencyStorePort;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Routing rules without any framework: tenant from the caller, body verbatim, bad input never forwarded. */
class AgentRoutingServiceTest {

    /** One recorded call to the in-memory agent-service port. */
    record Sent(String operation, String tenant, String id, boolean waitForResult, String body) {}

    /** Hand-written in-memory idempotency store with the same semantics as the Redis one. */
    static final class InMemoryIdempotencyStore implements IdempotencyStorePort {
        /** One record: request fingerprint and, once complete, the stored response. */
        record Entry(String hash, DownstreamResponse response) {}

        final Map<String, Entry> entries = new HashMap<>();

        @Override
        public IdempotencyClaim claim(
                String tenant, String subject, String key, String requestHash, Duration pendingTtl) {
            Entry entry = entries.get(tenant + "|" + subject + "|" + key);
            if (entry == null) {
                entries.put(tenant + "|" + subject + "|" + key, new Entry(requestHash, null));
                return new IdempotencyClaim.Claimed();
            }
            if (!entry.hash().equals(requestHash)) {
                return new IdempotencyClaim.Mismatch();
            }
            return entry.response() == null
                    ? new IdempotencyClaim.InFlight()
                    : new IdempotencyClaim.Replay(entry.response());
        }

        @Override
        public void complete(
                String tenant, String subject, String key, DownstreamResponse response, Duration replayTtl) {
            entries.computeIfPresent(tenant + "|" + subject + "|" + key, (k, e) -> new Entry(e.hash(), response));
        }

        @Override
        public void release(String tenant, String subject, String key) {
            entries.remove(tenant + "|" + subject + "|" + key);
        }
    }

    /** Hand-written in-memory agent-service: records calls, answers a fixed response. */
    static final class RecordingAgentService implements AgentServicePort {
        final List<Sent> sent = new ArrayList<>();
        boolean failNext;
        DownstreamResponse answer =
                new DownstreamResponse(202, "application/json", "/runs/r1", "{\"id\":\"r1\"}".getBytes());

        @Override
        public DownstreamResponse startRun(Caller caller, String agentRef, boolean waitForResult, byte[] body) {
            if (failNext) {
                failNext = false;
                throw new IllegalStateException("agent-service down");
            }
            sent.add(new Sent(
                    "startRun", caller.tenant(), agentRef, waitForResult, new String(body, StandardCharsets.UTF_8)));
            return answer;
        }

        @Override
        public DownstreamResponse getRun(Caller caller, String runId) {
            sent.add(new Sent("getRun", caller.tenant(), runId, false, null));
            return answer;
        }

        @Override
        public DownstreamResponse getAgent(Caller caller, String agentId) {
            sent.add(new Sent("getAgent", caller.tenant(), agentId, false, null));
            return answer;
        }
    }

    private final RecordingAgentService agentService = new RecordingAgentService();
    private final InMemoryIdempotencyStore store = new InMemoryIdempotencyStore();
    private final AgentRoutingService service = new AgentRoutingService(
            agentService, new RunBodyRules(1024, 64), store, Duration.ofSeconds(30), Duration.ofHours(1));
    private final Caller caller = new Caller("alice", "acme", Set.of("operator"));

    @Test
    void startRunSendsTheCallersTenantAndTheBodyUnchanged() {
        String body = "{\"input\":\"check the disk\",\"x\":1}";
        DownstreamResponse answer = service.startRun(
                        new StartRunCommand(caller, "system_health", true, body.getBytes(), null))
                .response();

        assertThat(answer).isEqualTo(agentService.answer);
        assertThat(agentService.sent).containsExactly(new Sent("startRun", "acme", "system_health", true, body));
    }

    @Test
    void aKeyedRequestIsForwardedOnceAndThenReplayed() {
        byte[] body = "{\"input\":\"once\"}".getBytes();
        StartRunResult first = service.startRun(new StartRunCommand(caller, "planner", false, body, "k-1"));
        StartRunResult second = service.startRun(new StartRunCommand(caller, "planner", false, body, "k-1"));

        assertThat(first.replayed()).isFalse();
        assertThat(second.replayed()).isTrue();
        assertThat(second.response()).isEqualTo(first.response());
        assertThat(agentService.sent).hasSize(1);
    }

    @Test
    void theSameKeyForAnotherRequestIs422AndAKeyInFlightIs409() {
        service.startRun(new StartRunCommand(caller, "planner", false, "{\"input\":\"a\"}".getBytes(), "k-2"));
        assertThatThrownBy(() -> service.startRun(
                        new StartRunCommand(caller, "planner", false, "{\"input\":\"b\"}".getBytes(), "k-2")))
                .satisfies(e -> assertThat(((Refusal) e).problem().status()).isEqualTo(422));
        assertThatThrownBy(() -> service.startRun(
                        new StartRunCommand(caller, "planner", true, "{\"input\":\"a\"}".getBytes(), "k-2")))
                .satisfies(e -> assertThat(((Refusal) e).problem().status()).isEqualTo(422));

        store.entries.put(
                "acme|alice|k-3",
                new InMemoryIdempotencyStore.Entry(
                        AgentRoutingService.fingerprint(
                                new StartRunCommand(caller, "planner", false, "{\"input\":\"c\"}".getBytes(), "k-3"),
                                "{\"input\":\"c\"}".getBytes()),
                        null));
        assertThatThrownBy(() -> service.startRun(
                        new StartRunCommand(caller, "planner", false, "{\"input\":\"c\"}".getBytes(), "k-3")))
                .satisfies(e -> assertThat(((Refusal) e).problem().status()).isEqualTo(409));
        assertThat(agentService.sent).hasSize(1);
    }

    @Test
    void keysAreScopedByTenantAndSubject() {
        byte[] body = "{\"input\":\"x\"}".getBytes();
        service.startRun(new StartRunCommand(caller, "planner", false, body, "shared"));
        service.startRun(
                new StartRunCommand(new Caller("bob", "acme", Set.of("operator")), "planner", false, body, "shared"));
        service.startRun(new StartRunCommand(
                new Caller("alice", "other", Set.of("operator")), "planner", false, body, "shared"));
        assertThat(agentService.sent).hasSize(3);
    }

    @Test
    void aFailedOrServerErrorRequestReleasesItsKey() {
        byte[] body = "{\"input\":\"retry me\"}".getBytes();
        agentService.failNext = true;
        assertThatThrownBy(() -> service.startRun(new StartRunCommand(caller, "planner", false, body, "k-4")))
                .isInstanceOf(IllegalStateException.class);
        agentService.answer = new DownstreamResponse(500, "application/problem+json", null, "{}".getBytes());
        assertThat(service.startRun(new StartRunCommand(caller, "planner", false, body, "k-4"))
                        .replayed())
                .isFalse();
        agentService.answer = new DownstreamResponse(202, "application/json", null, "{\"id\":\"r2\"}".getBytes());
        assertThat(service.startRun(new StartRunCommand(caller, "planner", false, body, "k-4"))
                        .response()
                        .status())
                .isEqualTo(202);
        assertThat(service.startRun(new StartRunCommand(caller, "planner", false, body, "k-4"))
                        .replayed())
                .isTrue();
        assertThat(agentService.sent).hasSize(2);
    }

    @Test
    void aMalformedKeyIs400() {
        assertThatThrownBy(() -> new StartRunCommand(caller, "planner", false, new byte[0], "has space"))
                .satisfies(e -> assertThat(((Refusal) e).problem().field()).isEqualTo("Idempotency-Key"));
        assertThatThrownBy(() -> new StartRunCommand(caller, "planner", false, new byte[0], "k".repeat(256)))
                .isInstanceOf(Refusal.class);
    }

    @Test
    void readsUseTheCallersTenant() {
        service.getRun(caller, "run-1");
        service.getAgent(caller, "agent-1");
        assertThat(agentService.sent)
                .containsExactly(
                        new Sent("getRun", "acme", "run-1", false, null),
                        new Sent("getAgent", "acme", "agent-1", false, null));
    }

    @Test
    void invalidIdsAndBodiesAreRejectedBeforeAnyCall() {
        assertThatThrownBy(() -> service.getRun(caller, "../etc"))
                .isInstanceOf(Refusal.class)
                .satisfies(e -> assertThat(((Refusal) e).problem().field()).isEqualTo("id"));
        assertThatThrownBy(() -> service.getAgent(caller, " ")).isInstanceOf(Refusal.class);
        assertThatThrownBy(() -> service.startRun(new StartRunCommand(caller, "t", false, "{}".getBytes(), null)))
                .isInstanceOf(Refusal.class)
                .satisfies(e -> assertThat(((Refusal) e).problem().field()).isEqualTo("input"));
        assertThatThrownBy(() -> new StartRunCommand(caller, "a/b", false, "{}".getBytes(), null))
                .isInstanceOf(Refusal.class)
                .satisfies(e -> assertThat(((Refusal) e).problem().field()).isEqualTo("ref"));
        assertThat(agentService.sent).isEmpty();
    }
}
