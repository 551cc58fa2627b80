package dev.devloop.provider.application;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.devloop.contracts.problem.Refusal;
import dev.devloop.contracts.provider.ChatMessage;
import dev.devloop.contracts.provider.GenerateRequest;
import dev.devloop.contracts.provider.GenerateResponse;
import dev.devloop.contracts.provider.Usage;
import dev.devloop.provider.application.GenerateServiceTest.MapCache;
import dev.devloop.provider.application.GenerateServiceTest.RecordingMetrics;
import dev.devloop.provider.application.GenerateServiceTest.ScriptedProvider;
import dev.devloop.provider.domain.BulkheadLimit;
import dev.devloop.provider.domain.CacheMode;
import dev.devloop.provider.domain.CacheSettings;
import dev.devloop.provider.domain.FinishReason;
import dev.devloop.provider.domain.PriceTable;
import dev.devloop.provider.domain.ProviderFailure;
import dev.devloop.provider.domain.RequestLimits;
import dev.devloop.provider.domain.RetryPolicy;
import dev.devloop.provider.domain.Route;
import dev.devloop.provider.ports.in.GenerationStream;
import dev.devloop.provider.ports.out.ChatProviderPort;
import dev.devloop.provider.ports.out.GenerateCommand;
import dev.devloop.provider.ports.out.SpendPort;
import dev.devloop.provider.ports.out.StreamListener;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** Fallback chains, retries, bulkhead, budgets and redaction of the generate use case, with in-memory ports. */
class GatewayPoliciesTest {
    private static final RequestLimits LIMITS = new RequestLimits(10, 10_000, 4, 8, 1000, 4);
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-25T10:00:00Z"), ZoneOffset.UTC);
    private static final CacheSettings OFF = new CacheSettings(false, Duration.ofMinutes(1), 1000);

    private final ScriptedProvider openai = new ScriptedProvider("openai");
    private final ScriptedProvider anthropic = new ScriptedProvider("anthropic");
    private final RecordingMetrics metrics = new RecordingMetrics();
    private final List<Duration> slept = new ArrayList<>();
    private final Map<String, Double> spend = new HashMap<>();

    private final SpendPort spendPort = new SpendPort() {
        @Override
        public double spent(String tenant, String period) {
            return spend.getOrDefault(tenant + "|" + period, 0.0);
        }

        @Override
        public void add(String tenant, String period, double usd) {
            spend.merge(tenant + "|" + period, usd, Double::sum);
        }
    };

    private GenerateService service(int bulkhead, Map<String, Double> budgets, Set<String> redactTenants) {
        GatewayPolicies policies = policies(
                Map.of("smart", List.of(new Route("anthropic", "claude-x"), new Route("openai", "gpt-x"))),
                new RetryPolicy(2, Duration.ofMillis(100), Duration.ofSeconds(1), Duration.ofSeconds(3)),
                bulkhead,
                new PriceTable(Map.of("claude-x", new PriceTable.Price(1_000_000, 0))),
                budgets,
                redactTenants,
                Map.of());
        return serviceOf(List.of(openai, anthropic), policies);
    }

    /** Policies as the tests vary them; spend, retry waits and jitter are always the test's own. */
    private GatewayPolicies policies(
            Map<String, List<Route>> aliases,
            RetryPolicy retry,
            int bulkhead,
            PriceTable prices,
            Map<String, Double> budgets,
            Set<String> redactTenants,
            Map<String, BulkheadLimit> bulkheads) {
        return new GatewayPolicies(
                aliases,
                retry,
                bulkhead,
                prices,
                budgets,
                null,
                spendPort,
                redactTenants,
                (provider, delay) -> slept.add(delay),
                () -> 0.5,
                bulkheads,
                Map.of());
    }

    /** The service under test over {@code providers}, with the test's cache, metrics and clock. */
    private GenerateService serviceOf(List<ChatProviderPort> providers, GatewayPolicies policies) {
        return new GenerateService(
                providers,
                "openai",
                LIMITS,
                metrics,
                new MapCache(),
                OFF,
                r -> {},
                r -> {},
                CLOCK,
                System::nanoTime,
                policies,
                GenerateService.configuredFor(OFF));
    }

    private GenerateService service() {
        return service(8, Map.of(), Set.of());
    }

    private static GenerateRequest request(String model, String text) {
        return new GenerateRequest(
                null, model, List.of(new ChatMessage("user", text, null, null, null)), null, null, null);
    }

    private static ProviderFailure failure(ProviderFailure.Kind kind, String provider, String retryAfter) {
        return new ProviderFailure(kind, provider, kind.name(), retryAfter, null);
    }

    @Test
    void aliasFallsBackOnCircuitOpenAndAnswersFromTheNextProvider() {
        anthropic.failure = failure(ProviderFailure.Kind.CIRCUIT_OPEN, "anthropic", "30");
        GenerateResponse r = service().generate("t", request("smart", "hi"), CacheMode.AUTO);
        assertThat(r.provider()).isEqualTo("openai");
        assertThat(anthropic.models).containsExactly("claude-x"); // circuit open is not retried
        assertThat(openai.models).containsExactly("gpt-x");
        assertThat(metrics.events).contains("fallback|smart|anthropic|openai|circuit_open");
    }

    @Test
    void noFallbackOnRejectedCredentialsOrRequest() {
        anthropic.failure = failure(ProviderFailure.Kind.CREDENTIALS_REJECTED, "anthropic", null);
        assertThatThrownBy(() -> service().generate("t", request("smart", "hi"), CacheMode.AUTO))
                .isInstanceOf(ProviderFailure.class);
        assertThat(openai.models).isEmpty();
    }

    @Test
    void retriesWithBackOffAndShortRetryAfterThenSucceeds() {
        anthropic.script.add(failure(ProviderFailure.Kind.UPSTREAM_ERROR, "anthropic", null));
        anthropic.script.add(failure(ProviderFailure.Kind.RATE_LIMITED, "anthropic", "2"));
        long started = System.nanoTime();
        GenerateResponse r = service()
                .generate(
                        "t",
                        new GenerateRequest(
                                "anthropic",
                                "claude-x",
                                List.of(new ChatMessage("user", "hi", null, null, null)),
                                null,
                                null,
                                null),
                        CacheMode.AUTO);
        assertThat(r.provider()).isEqualTo("anthropic");
        assertThat(anthropic.models).hasSize(3);
        assertThat(slept).containsExactly(Duration.ofMillis(75), Duration.ofSeconds(2));
        // the guard really waited them (jittered back-off, then the Retry-After exactly)
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofMillis(2075));
        assertThat(metrics.events).contains("retry|anthropic|upstream_error", "retry|anthropic|rate_limited");
    }

    @Test
    void aProvidersOwnBulkheadSizeOverridesTheGlobalOne() throws Exception {
        BlockingProvider slow = new BlockingProvider();
        CountDownLatch inside = slow.inside;
        CountDownLatch release = slow.release;
        // global: 8 calls at once; anthropic's own: 1
        GatewayPolicies policies = policies(
                Map.of(),
                RetryPolicy.NONE,
                8,
                PriceTable.EMPTY,
                Map.of(),
                Set.of(),
                Map.of("anthropic", new BulkheadLimit(1, "devloop.provider.anthropic.bulkhead.max-concurrent")));
        GenerateService svc = serviceOf(List.of(openai, slow), policies);
        GenerateRequest toAnthropic = new GenerateRequest(
                "anthropic", "claude-x", List.of(new ChatMessage("user", "one", null, null, null)), null, null, null);
        Thread first = new Thread(() -> svc.generate("t", toAnthropic, CacheMode.AUTO));
        first.start();
        assertThat(inside.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(svc.providers())
                .filteredOn(p -> p.name().equals("anthropic"))
                .singleElement()
                .satisfies(p -> assertThat(p.bulkhead())
                        .isEqualTo(new dev.devloop.provider.ports.in.ProviderView.Bulkhead(1, 1)));
        assertThat(svc.providers())
                .filteredOn(p -> p.name().equals("openai"))
                .singleElement()
                .satisfies(p -> assertThat(p.bulkhead().maxConcurrent()).isEqualTo(8));
        assertThatThrownBy(() -> svc.generate("t", toAnthropic, CacheMode.AUTO))
                .isInstanceOfSatisfying(ProviderFailure.class, f -> {
                    assertThat(f.kind()).isEqualTo(ProviderFailure.Kind.BULKHEAD_FULL);
                    assertThat(f.getMessage())
                            .contains("already has 1 calls in flight")
                            .contains("devloop.provider.anthropic.bulkhead.max-concurrent");
                });
        // openai keeps the global size: unaffected
        assertThat(svc.generate("t", request("gpt-x", "two"), CacheMode.AUTO).provider())
                .isEqualTo("openai");
        release.countDown();
        first.join(5000);
        assertThat(svc.generate("t", toAnthropic, CacheMode.AUTO).provider()).isEqualTo("anthropic");
    }

    @Test
    void aBulkheadForAnUnknownProviderFailsStartup() {
        GatewayPolicies policies = policies(
                Map.of(),
                RetryPolicy.NONE,
                8,
                PriceTable.EMPTY,
                Map.of(),
                Set.of(),
                Map.of("nope", new BulkheadLimit(1, "devloop.provider.instances.nope.bulkhead.max-concurrent")));
        assertThatThrownBy(() -> serviceOf(List.of(openai, anthropic), policies))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'nope'");
    }

    @Test
    void bulkheadRejectsWhenFullAndTheChainFallsBack() throws Exception {
        BlockingProvider slow = new BlockingProvider();
        CountDownLatch inside = slow.inside;
        CountDownLatch release = slow.release;
        GatewayPolicies policies = policies(
                Map.of("smart", List.of(new Route("anthropic", "claude-x"), new Route("openai", "gpt-x"))),
                RetryPolicy.NONE,
                1,
                PriceTable.EMPTY,
                Map.of(),
                Set.of(),
                Map.of());
        GenerateService svc = serviceOf(List.of(openai, slow), policies);
        Thread first = new Thread(() -> svc.generate("t", request("smart", "one"), CacheMode.AUTO));
        first.start();
        assertThat(inside.await(5, TimeUnit.SECONDS)).isTrue();
        GenerateResponse second = svc.generate("t", request("smart", "two"), CacheMode.AUTO);
        assertThat(second.provider()).isEqualTo("openai");
        assertThat(metrics.events).contains("bulkhead|anthropic", "fallback|smart|anthropic|openai|bulkhead_full");
        assertThatThrownBy(() -> svc.generate(
                        "t",
                        new GenerateRequest(
                                "anthropic",
                                "claude-x",
                                List.of(new ChatMessage("user", "three", null, null, null)),
                                null,
                                null,
                                null),
                        CacheMode.AUTO))
                .isInstanceOfSatisfying(
                        ProviderFailure.class, f -> assertThat(f.kind()).isEqualTo(ProviderFailure.Kind.BULKHEAD_FULL));
        release.countDown();
        first.join(5000);
    }

    @Test
    void budgetIsCheckedBeforeTheCallAndCostAccumulates() {
        GenerateService svc = service(8, Map.of("capped", 1.5), Set.of());
        GenerateRequest claude = new GenerateRequest(
                "anthropic", "claude-x", List.of(new ChatMessage("user", "hi", null, null, null)), null, null, null);
        svc.generate("capped", claude, CacheMode.AUTO); // 3 input tokens × $1/token = $3
        assertThat(spend).containsEntry("capped|2026-11", 3.0);
        assertThatThrownBy(() -> svc.generate("capped", claude, CacheMode.AUTO))
                .isInstanceOfSatisfying(Refusal.class, p -> {
                    assertThat(p.problem().status()).isEqualTo(429);
                    assertThat(p.problem().detail())
                            .contains("capped")
                            .contains("$1.50")
                            .contains("2026-12-01");
                });
        assertThat(anthropic.models).hasSize(1);
        assertThat(metrics.events).contains("budget");
        svc.generate("other", claude, CacheMode.AUTO);
    }

    @Test
    void redactsForConfiguredTenants() {
        GenerateService svc = service(8, Map.of(), Set.of("private"));
        svc.generate("private", request("gpt-4o", "mail me at a@b.io"), CacheMode.AUTO);
        svc.generate("public", request("gpt-4o", "mail me at a@b.io"), CacheMode.AUTO);
        assertThat(openai.commands.get(0).messages().get(0).content()).isEqualTo("mail me at [REDACTED_EMAIL]");
        assertThat(openai.commands.get(1).messages().get(0).content()).isEqualTo("mail me at a@b.io");
        assertThat(metrics.events).contains("redacted|email|1");
    }

    @Test
    void aStreamHoldsItsProvidersBulkheadSlotUntilItEnds() {
        AtomicReference<StreamListener> open = new AtomicReference<>();
        ScriptedProvider held = new ScriptedProvider("anthropic") {
            @Override
            public void stream(GenerateCommand command, String model, StreamListener listener) {
                models.add(model);
                open.set(listener); // ends when the test says so
            }
        };
        GatewayPolicies policies = policies(
                Map.of(),
                RetryPolicy.NONE,
                8,
                PriceTable.EMPTY,
                Map.of(),
                Set.of(),
                Map.of("anthropic", new BulkheadLimit(1, "devloop.provider.anthropic.bulkhead.max-concurrent")));
        GenerateService svc = serviceOf(List.of(openai, held), policies);
        GenerateRequest toAnthropic = new GenerateRequest(
                "anthropic", "claude-x", List.of(new ChatMessage("user", "one", null, null, null)), null, null, null);
        List<String> seen = new ArrayList<>();
        svc.stream("t", toAnthropic, new GenerationStream() {
            @Override
            public void onText(String delta) {}

            @Override
            public void onComplete(GenerateResponse response) {
                seen.add("done:" + response.provider());
            }

            @Override
            public void onError(ProviderFailure failure) {
                seen.add("error:" + failure.kind());
            }
        });
        assertThat(open.get()).isNotNull();
        assertThat(svc.providers())
                .filteredOn(p -> p.name().equals("anthropic"))
                .singleElement()
                .satisfies(p -> assertThat(p.bulkhead().inFlight()).isEqualTo(1));
        // the open stream holds anthropic's only slot: a call is refused, and counted
        assertThatThrownBy(() -> svc.generate("t", toAnthropic, CacheMode.AUTO))
                .isInstanceOfSatisfying(
                        ProviderFailure.class, f -> assertThat(f.kind()).isEqualTo(ProviderFailure.Kind.BULKHEAD_FULL));
        assertThat(metrics.events).contains("bulkhead|anthropic");
        open.get()
                .onComplete(new dev.devloop.provider.ports.out.ProviderAnswer(
                        "ok", List.of(), new Usage(1, 1, 2), "claude-x", FinishReason.STOP));
        assertThat(seen).containsExactly("done:anthropic");
        // ended: the slot is free again
        assertThat(svc.providers())
                .filteredOn(p -> p.name().equals("anthropic"))
                .singleElement()
                .satisfies(p -> assertThat(p.bulkhead().inFlight()).isZero());
        assertThat(svc.generate("t", toAnthropic, CacheMode.AUTO).provider()).isEqualTo("anthropic");
    }

    @Test
    void streamFallsBackBeforeTheFirstTokenOnly() {
        anthropic.failure = failure(ProviderFailure.Kind.UPSTREAM_ERROR, "anthropic", null);
        List<String> seen = new ArrayList<>();
        service().stream("t", request("smart", "hi"), new GenerationStream() {
            @Override
            public void onText(String delta) {
                seen.add(delta);
            }

            @Override
            public void onComplete(GenerateResponse response) {
                seen.add("done:" + response.provider());
            }

            @Override
            public void onError(ProviderFailure failure) {
                seen.add("error:" + failure.kind());
            }
        });
        assertThat(seen).containsExactly("h", "i", "done:openai");
    }

    @Test
    void unknownAliasProviderFailsAtStartup() {
        GatewayPolicies bad = policies(
                Map.of("x", List.of(new Route("nope", "m"))),
                RetryPolicy.NONE,
                1,
                PriceTable.EMPTY,
                Map.of(),
                Set.of(),
                Map.of());
        assertThatThrownBy(() -> serviceOf(List.of(openai), bad))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("nope");
    }

    /** An anthropic provider whose calls wait inside until the test releases them (at most 5 s). */
    private static final class BlockingProvider extends ScriptedProvider {
        final CountDownLatch inside = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);

        BlockingProvider() {
            super("anthropic");
        }

        @Override
        public dev.devloop.provider.ports.out.ProviderAnswer chat(GenerateCommand command, String model) {
            inside.countDown();
            try {
                release.await(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return super.chat(command, model);
        }
    }
}
