package dev.devloop.tools.application;

import static dev.devloop.tools.support.Fixtures.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.devloop.tools.domain.AuditEntry;
import dev.devloop.tools.domain.InvocationOutcome;
import dev.devloop.tools.ports.in.InvocationResult;
import dev.devloop.tools.ports.in.InvokeToolCommand;
import dev.devloop.tools.ports.in.ToolRefusal;
import dev.devloop.tools.ports.out.DownstreamException;
import dev.devloop.tools.ports.out.TenantQuotaPort;
import dev.devloop.tools.support.Fixtures;
import dev.devloop.tools.support.InMemoryPorts;
import dev.devloop.tools.support.Invoker;
import dev.devloop.tools.support.Refusals;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The per-tenant quota in the invocation path (the Redis counters are tested in QuotaTest). */
class TenantQuotaTest {
    private final InMemoryPorts.Registry registry = new InMemoryPorts.Registry();
    private final InMemoryPorts.Audit audit = new InMemoryPorts.Audit();
    private final InMemoryPorts.Activity activity = new InMemoryPorts.Activity();
    private final ExecutorService pool = Executors.newCachedThreadPool();
    private final Counters counters = new Counters();
    private Instant now = Instant.parse("2026-11-25T10:00:17.250Z");
    private final List<String> refusals = new java.util.concurrent.CopyOnWriteArrayList<>();
    private InvokeToolService service;

    /** Fixed windows per tenant, as the Redis adapter keeps them. */
    final class Counters implements TenantQuotaPort {
        final Map<String, Long> counts = new ConcurrentHashMap<>();
        volatile boolean down;

        @Override
        public Usage consume(String tenant, Instant at) {
            if (down) {
                throw new DownstreamException("the quota store is unavailable: ConnectException");
            }
            long m = counts.merge(tenant + ":m:" + at.getEpochSecond() / 60, 1L, Long::sum);
            long d = counts.merge(tenant + ":d:" + at.getEpochSecond() / 86_400, 1L, Long::sum);
            return new Usage(m, d);
        }
    }

    @BeforeEach
    void setUp() {
        Fixtures.shippedTools().forEach(registry::save);
        QuotaSettings quotas =
                new QuotaSettings(true, new QuotaSettings.Limits(2, 4), Map.of("big", new QuotaSettings.Limits(0, 0)));
        Clock clock = new Clock() {
            @Override
            public java.time.ZoneId getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(java.time.ZoneId zone) {
                return this;
            }

            @Override
            public Instant instant() {
                return now;
            }
        };
        service = Invoker.over(
                registry,
                audit,
                pool,
                clock,
                List.of(new LogActivityTool(activity, clock)),
                counters,
                quotas,
                (window, kind) -> refusals.add(window + "/" + kind.wire()));
    }

    @AfterEach
    void tearDown() {
        pool.shutdownNow();
    }

    private InvocationResult call(String tenant, String key) {
        return service.invoke(new InvokeToolCommand(
                tenant, "log_activity", json("{\"message\":\"m\"}"), "assistant", "a-1", "run-1", key));
    }

    private ToolRefusal refused(String tenant, String key) {
        Throwable t = catchThrowable(() -> call(tenant, key));
        assertThat(t).isInstanceOf(ToolRefusal.class);
        return (ToolRefusal) t;
    }

    @Test
    void callsPastTheMinuteQuotaAre429AndAudited() {
        call("acme", "k-1");
        call("acme", "k-2");
        ToolRefusal e = refused("acme", "k-3");
        assertThat(Refusals.asProblem(e).problem().status()).isEqualTo(429);
        // 10:00:17.250 → the minute window ends at 10:01:00: 42.75 s, rounded up
        assertThat(Refusals.asProblem(e).problem().detail())
                .isEqualTo(
                        "denied by rule tenantQuota: tenant 'acme' may make at most 2 tool calls per minute; retry in 43 s");
        assertThat(e).isInstanceOfSatisfying(QuotaExceeded.class, q -> {
            assertThat(q.window()).isEqualTo("minute");
            assertThat(q.limit()).isEqualTo(2);
            assertThat(q.windowSeconds()).isEqualTo(60);
            assertThat(q.retryAfterSeconds()).isEqualTo(43);
        });
        assertThat(refusals).containsExactly("minute/native");
        assertThat(audit.recorded)
                .extracting(AuditEntry::outcome)
                .containsExactly(InvocationOutcome.SUCCEEDED, InvocationOutcome.SUCCEEDED, InvocationOutcome.DENIED);
        assertThat(audit.recorded.get(2).rule()).isEqualTo("tenantQuota");
        assertThat(activity.records).hasSize(2);
    }

    /** A refused attempt counts too: the windows count attempts that reached the quota check. */
    @Test
    void theRefusedKeyIsReleasedAndAReplayIsNotCounted() {
        call("acme", "k-1");
        assertThat(call("acme", "k-1").replayed()).isTrue();
        call("acme", "k-2");
        refused("acme", "k-3");
        now = now.plusSeconds(60);
        assertThat(call("acme", "k-3").status()).isEqualTo(InvocationResult.SUCCEEDED);
    }

    @Test
    void theDayQuotaHoldsAcrossMinutesAndTenantsAreApart() {
        call("acme", "k-1");
        now = now.plusSeconds(60);
        call("acme", "k-2");
        now = now.plusSeconds(60);
        call("acme", "k-3");
        call("acme", "k-4");
        now = now.plusSeconds(60);
        // 10:03:17.250 → the day window ends at midnight UTC: 13 h 56 min 42.75 s, rounded up
        QuotaExceeded day = (QuotaExceeded) refused("acme", "k-5");
        assertThat(Refusals.asProblem(day).problem().detail())
                .endsWith("at most 4 tool calls per day; retry in 50203 s");
        assertThat(day.retryAfterSeconds()).isEqualTo(50_203);
        assertThat(day.windowSeconds()).isEqualTo(86_400);
        assertThat(refusals).containsExactly("day/native");
        assertThat(call("globex", "k-1").status()).isEqualTo(InvocationResult.SUCCEEDED);
        for (int i = 0; i < 5; i++) {
            assertThat(call("big", "k-" + i).status()).isEqualTo(InvocationResult.SUCCEEDED);
        }
    }

    /** When both windows ran out the day's is reported: retrying in the next minute would be refused again. */
    @Test
    void theDayWindowWinsWhenBothAreExhausted() {
        QuotaSettings tight = new QuotaSettings(true, new QuotaSettings.Limits(1, 1), Map.of());
        InvokeToolService strict = Invoker.over(
                registry,
                audit,
                pool,
                Clock.fixed(now, ZoneOffset.UTC),
                List.of(new LogActivityTool(activity, Clock.fixed(now, ZoneOffset.UTC))),
                counters,
                tight,
                (window, kind) -> refusals.add(window + "/" + kind.wire()));
        strict.invoke(new InvokeToolCommand(
                "initech", "log_activity", json("{\"message\":\"m\"}"), "assistant", null, "run-1", "k-1"));
        Throwable t = catchThrowable(() -> strict.invoke(new InvokeToolCommand(
                "initech", "log_activity", json("{\"message\":\"m\"}"), "assistant", null, "run-1", "k-2")));
        assertThat(t).isInstanceOfSatisfying(QuotaExceeded.class, q -> assertThat(q.window())
                .isEqualTo("day"));
        assertThat(refusals).containsExactly("day/native");
    }

    @Test
    void windowEndsAreRoundedUpAndNeverZero() {
        assertThat(QuotaExceeded.secondsUntilWindowEnds(
                        Instant.parse("2026-11-25T10:00:00Z").toEpochMilli(), 60))
                .isEqualTo(60);
        assertThat(QuotaExceeded.secondsUntilWindowEnds(
                        Instant.parse("2026-11-25T10:00:59.001Z").toEpochMilli(), 60))
                .isEqualTo(1);
        assertThat(QuotaExceeded.secondsUntilWindowEnds(
                        Instant.parse("2026-11-25T10:00:59.999Z").toEpochMilli(), 60))
                .isEqualTo(1);
        assertThat(QuotaExceeded.secondsUntilWindowEnds(
                        Instant.parse("2026-11-25T23:59:30Z").toEpochMilli(), 86_400))
                .isEqualTo(30);
    }

    @Test
    void anUnavailableQuotaStoreDoesNotStopCalls() {
        counters.down = true;
        for (int i = 0; i < 4; i++) {
            assertThat(call("acme", "k-" + i).status()).isEqualTo(InvocationResult.SUCCEEDED);
        }
        assertThat(refusals).isEmpty();
    }
}
