package dev.devloop.provider.application;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.devloop.contracts.provider.ChatMessage;
import dev.devloop.contracts.provider.GenerateOptions;
import dev.devloop.contracts.provider.GenerateRequest;
import dev.devloop.contracts.provider.GenerateResponse;
import dev.devloop.contracts.provider.Usage;
import dev.devloop.provider.domain.CacheMode;
import dev.devloop.provider.domain.CacheSettings;
import dev.devloop.provider.domain.FinishReason;
import dev.devloop.provider.domain.ProviderFailure;
import dev.devloop.provider.domain.RequestLimits;
import dev.devloop.provider.domain.UsageRecord;
import dev.devloop.provider.ports.in.GenerationStream;
import dev.devloop.provider.ports.in.ProviderView;
import dev.devloop.provider.ports.out.ChatProviderPort;
import dev.devloop.provider.ports.out.GenerateCommand;
import dev.devloop.provider.ports.out.ProviderAnswer;
import dev.devloop.provider.ports.out.ProviderMetricsPort;
import dev.devloop.provider.ports.out.ResponseCachePort;
import dev.devloop.provider.ports.out.StreamListener;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Routing, metrics and failure handling of the generate use case, with in-memory ports. */
class GenerateServiceTest {
    private static final RequestLimits LIMITS = new RequestLimits(10, 10_000, 4, 8, 1000, 4);
    private static final CacheSettings SETTINGS = new CacheSettings(true, Duration.ofMinutes(5), 100_000);

    /** A provider answering from a script; records the model it was asked for. */
    static class ScriptedProvider implements ChatProviderPort {
        final List<String> models = new ArrayList<>();
        final List<GenerateCommand> commands = new ArrayList<>();
        final String name;
        boolean configured = true;
        RuntimeException failure;
        /** Failures thrown by the next calls, in order, before {@link #failure} applies. */
        final java.util.Deque<RuntimeException> script = new java.util.ArrayDeque<>();

        ScriptedProvider() {
            this("openai");
        }

        ScriptedProvider(String name) {
            this.name = name;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public boolean configured() {
            return configured;
        }

        @Override
        public String defaultModel() {
            return "default-model";
        }

        @Override
        public String notConfiguredDetail() {
            return "set DEVLOOP_OPENAI_API_KEY";
        }

        @Override
        public List<String> models() {
            return List.of("default-model", "other-model");
        }

        @Override
        public String circuitState() {
            return "closed";
        }

        @Override
        public void stream(GenerateCommand command, String model, StreamListener listener) {
            models.add(model);
            commands.add(command);
            if (failure instanceof ProviderFailure f) {
                listener.onError(f);
                return;
            }
            listener.onText("h");
            listener.onText("i");
            listener.onComplete(
                    new ProviderAnswer("hi", List.of(), new Usage(1, 1, 2), "streamed-model", FinishReason.STOP));
        }

        @Override
        public ProviderAnswer chat(GenerateCommand command, String model) {
            models.add(model);
            commands.add(command);
            if (!script.isEmpty()) {
                throw script.pop();
            }
            if (failure != null) {
                throw failure;
            }
            return new ProviderAnswer(
                    "hi " + command.messages().size(), List.of(), new Usage(3, 2, 5), null, FinishReason.STOP);
        }
    }

    /** Remembers every recorded call. */
    static final class RecordingMetrics implements ProviderMetricsPort {
        final List<String> calls = new ArrayList<>();
        final List<String> cacheResults = new ArrayList<>();

        @Override
        public void recordCall(String provider, String model, String outcome, Duration elapsed, Usage usage) {
            calls.add(provider + "|" + model + "|" + outcome + "|" + usage.totalTokens() + "|" + elapsed.toMillis());
        }

        final List<String> events = new ArrayList<>();

        @Override
        public void recordCache(String provider, String model, String result) {
            cacheResults.add(result);
        }

        @Override
        public void recordCost(String provider, String model, double usd) {
            events.add("cost|" + provider + "|" + model + "|" + usd);
        }

        @Override
        public void recordRetry(String provider, String kind) {
            events.add("retry|" + provider + "|" + kind);
        }

        @Override
        public void recordFallback(String alias, String from, String to, String kind) {
            events.add("fallback|" + alias + "|" + from + "|" + to + "|" + kind);
        }

        @Override
        public void recordBulkheadRejection(String provider) {
            events.add("bulkhead|" + provider);
        }

        @Override
        public void recordBudgetRejection() {
            events.add("budget");
        }

        @Override
        public void recordRedactions(String kind, int count) {
            events.add("redacted|" + kind + "|" + count);
        }

        @Override
        public void recordSettingChange(String setting) {
            events.add("setting|" + setting);
        }
    }

    /** An in-memory cache keyed by tenant and hash. */
    static final class MapCache implements ResponseCachePort {
        final Map<String, GenerateResponse> entries = new HashMap<>();

        @Override
        public Optional<GenerateResponse> get(String tenant, String key) {
            return Optional.ofNullable(entries.get(tenant + "|" + key));
        }

        @Override
        public void put(String tenant, String key, GenerateResponse response, Duration ttl) {
            entries.put(tenant + "|" + key, response);
        }

        @Override
        public long clear(String tenant) {
            int before = entries.size();
            entries.keySet().removeIf(k -> k.startsWith(tenant + "|"));
            return before - entries.size();
        }
    }

    private final MapCache cache = new MapCache();
    private final List<UsageRecord> ledger = new ArrayList<>();
    private final List<UsageRecord> published = new ArrayList<>();
    private final ScriptedProvider provider = new ScriptedProvider();
    private final RecordingMetrics metrics = new RecordingMetrics();
    private final AtomicLong clock = new AtomicLong();
    private final GenerateService service = serviceOver(provider);

    private static GenerateRequest request(String model) {
        return new GenerateRequest(null, model, List.of(ChatMessage.user("hello")), null, null, "agent-1");
    }

    @Test
    void answersWithProviderNameModelAndLatency() {
        GenerateResponse r = service.generate("t-a", request(null));
        assertThat(r.text()).isEqualTo("hi 1");
        assertThat(r.provider()).isEqualTo("openai");
        assertThat(r.model()).isEqualTo("default-model");
        assertThat(r.finishReason()).isEqualTo("stop");
        assertThat(r.cached()).isFalse();
        assertThat(r.latencyMs()).isEqualTo(7);
        assertThat(r.usage()).isEqualTo(new Usage(3, 2, 5));
        assertThat(metrics.calls).containsExactly("openai|default-model|success|5|7");
    }

    /** A provider that answers later: each call's stage is completed by the test. */
    static final class LaterProvider extends ScriptedProvider {
        final List<java.util.concurrent.CompletableFuture<ProviderAnswer>> pending = new ArrayList<>();

        @Override
        public boolean nonBlocking() {
            return true;
        }

        @Override
        public java.util.concurrent.CompletionStage<ProviderAnswer> chatAsync(GenerateCommand command, String model) {
            models.add(model);
            java.util.concurrent.CompletableFuture<ProviderAnswer> later =
                    new java.util.concurrent.CompletableFuture<>();
            pending.add(later);
            return later;
        }
    }

    private GenerateService serviceOver(ChatProviderPort provider) {
        return serviceOver(provider, "openai");
    }

    private GenerateService serviceOver(ChatProviderPort provider, String defaultName) {
        return new GenerateService(
                List.of(provider),
                defaultName,
                LIMITS,
                metrics,
                cache,
                SETTINGS,
                ledger::add,
                published::add,
                Clock.fixed(Instant.parse("2026-11-25T10:00:00Z"), ZoneOffset.UTC),
                () -> clock.getAndAdd(7_000_000),
                GatewayPolicies.NONE,
                GenerateService.configuredFor(SETTINGS));
    }

    private GenerateService serviceOver(ChatProviderPort provider, java.util.concurrent.Executor afterCalls) {
        return serviceOver(provider).afterCallsOn(afterCalls);
    }

    /** Stop 31: what follows an answer that cannot block (no cache store, no budget) runs where the answer came. */
    @Test
    void aNonBlockingProvidersAnswerThatCannotBlockIsFinishedOnTheCompletingThread() {
        LaterProvider later = new LaterProvider();
        java.util.Deque<Runnable> afterCalls = new java.util.ArrayDeque<>();
        var answer = serviceOver(later, afterCalls::add)
                .generateAsync("t-a", request(null), dev.devloop.provider.domain.CacheMode.AUTO, false)
                .toCompletableFuture();
        assertThat(later.models).containsExactly("default-model");
        assertThat(answer).isNotDone();
        later.pending
                .get(0)
                .complete(new ProviderAnswer("later", List.of(), new Usage(3, 2, 5), "m-1", FinishReason.STOP));
        assertThat(afterCalls).isEmpty(); // no hand-off to the worker pool
        assertThat(answer).isDone();
        assertThat(answer.join().text()).isEqualTo("later");
        assertThat(answer.join().model()).isEqualTo("m-1");
        assertThat(ledger).hasSize(1);
        assertThat(metrics.calls).containsExactly("openai|m-1|success|5|7");
    }

    /** An answer to store in the cache (Redis may block) still waits for the after-calls executor. */
    @Test
    void aNonBlockingProvidersAnswerToCacheIsFinishedOnTheAfterCallsExecutor() {
        LaterProvider later = new LaterProvider();
        java.util.Deque<Runnable> afterCalls = new java.util.ArrayDeque<>();
        var answer = serviceOver(later, afterCalls::add)
                .generateAsync("t-a", deterministic("q"), dev.devloop.provider.domain.CacheMode.AUTO, false)
                .toCompletableFuture();
        later.pending
                .get(0)
                .complete(new ProviderAnswer("later", List.of(), new Usage(3, 2, 5), "m-1", FinishReason.STOP));
        assertThat(answer).isNotDone(); // pricing, usage and the cache store wait for the after-calls executor
        assertThat(ledger).isEmpty();
        afterCalls.pop().run();
        assertThat(answer.join().text()).isEqualTo("later");
        assertThat(ledger).hasSize(1);
        assertThat(cache.entries).hasSize(1);
    }

    /** Stop 31: a non-blocking provider's call is started by the sends executor (the request's event loop). */
    @Test
    void aNonBlockingProvidersCallStartsOnTheSendsExecutor() {
        LaterProvider later = new LaterProvider();
        java.util.Deque<Runnable> sends = new java.util.ArrayDeque<>();
        var answer = serviceOver(later, Runnable::run)
                .sendsOn(sends::add)
                .generateAsync("t-a", request(null), dev.devloop.provider.domain.CacheMode.AUTO, false)
                .toCompletableFuture();
        assertThat(later.models).isEmpty(); // prepared here, not sent yet
        assertThat(sends).hasSize(1);
        sends.pop().run();
        assertThat(later.models).containsExactly("default-model");
        later.pending
                .get(0)
                .complete(new ProviderAnswer("later", List.of(), new Usage(3, 2, 5), "m-1", FinishReason.STOP));
        assertThat(answer.join().text()).isEqualTo("later");
    }

    /** A blocking provider is never handed to the sends executor (it would block an event loop). */
    @Test
    void aBlockingProviderIsCalledOnThePreparingThreadNotTheSendsExecutor() {
        java.util.Deque<Runnable> sends = new java.util.ArrayDeque<>();
        var answer = serviceOver(provider, Runnable::run)
                .sendsOn(sends::add)
                .generateAsync("t-a", request(null), dev.devloop.provider.domain.CacheMode.AUTO, false)
                .toCompletableFuture();
        assertThat(sends).isEmpty();
        assertThat(answer.join().text()).isEqualTo("hi 1");
    }

    @Test
    void aNonBlockingProvidersFailureFailsTheStageWithItsKind() {
        LaterProvider later = new LaterProvider();
        var answer = serviceOver(later, Runnable::run)
                .generateAsync("t-a", request(null), dev.devloop.provider.domain.CacheMode.AUTO, false)
                .toCompletableFuture();
        ProviderFailure failure =
                new ProviderFailure(ProviderFailure.Kind.RATE_LIMITED, "openai", "slow down", "7", null);
        later.pending.get(0).completeExceptionally(failure);
        assertThat(answer).isCompletedExceptionally();
        assertThatThrownBy(answer::join).hasCause(failure);
        assertThat(metrics.calls).containsExactly("openai|default-model|rate_limited|0|7");
        assertThat(ledger).isEmpty();
    }

    @Test
    void passesTheRequestedModel() {
        service.generate("t-a", request("gpt-x"));
        assertThat(provider.models).containsExactly("gpt-x");
    }

    @Test
    void notConfiguredFailsBeforeCalling() {
        provider.configured = false;
        assertThatThrownBy(() -> service.generate("t-a", request(null)))
                .isInstanceOfSatisfying(ProviderFailure.class, f -> {
                    assertThat(f.kind()).isEqualTo(ProviderFailure.Kind.NOT_CONFIGURED);
                    assertThat(f.getMessage()).contains("DEVLOOP_OPENAI_API_KEY");
                });
        assertThat(provider.models).isEmpty();
        assertThat(metrics.calls).containsExactly("openai|default-model|not_configured|0|0");
    }

    @Test
    void failuresAreRecordedWithTheirKind() {
        provider.failure = new ProviderFailure(ProviderFailure.Kind.RATE_LIMITED, "openai", "slow down", "7", null);
        assertThatThrownBy(() -> service.generate("t-a", request(null))).isSameAs(provider.failure);
        assertThat(metrics.calls).containsExactly("openai|default-model|rate_limited|0|7");
    }

    @Test
    void rejectsAnUnknownDefaultProvider() {
        assertThatThrownBy(() -> serviceOver(provider, "gemini")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void streamsDeltasThenTheFinalResponse() {
        List<String> events = new ArrayList<>();
        service.stream("t-a", request(null), new GenerationStream() {
            @Override
            public void onText(String delta) {
                events.add("text:" + delta);
            }

            @Override
            public void onComplete(GenerateResponse response) {
                events.add("done:" + response.model() + ":" + response.provider() + ":"
                        + response.usage().totalTokens());
            }

            @Override
            public void onError(ProviderFailure failure) {
                events.add("error:" + failure.kind());
            }
        });
        assertThat(events).containsExactly("text:h", "text:i", "done:streamed-model:openai:2");
        assertThat(metrics.calls).hasSize(1).first().asString().startsWith("openai|streamed-model|success|2|");
    }

    @Test
    void streamFailuresArriveAsEvents() {
        provider.failure =
                new ProviderFailure(ProviderFailure.Kind.CREDENTIALS_REJECTED, "openai", "bad key", null, null);
        List<String> events = new ArrayList<>();
        service.stream("t-a", request(null), new GenerationStream() {
            @Override
            public void onText(String delta) {
                events.add("text");
            }

            @Override
            public void onComplete(GenerateResponse response) {
                events.add("done");
            }

            @Override
            public void onError(ProviderFailure failure) {
                events.add("error:" + failure.kind());
            }
        });
        assertThat(events).containsExactly("error:CREDENTIALS_REJECTED");
        assertThat(metrics.calls).first().asString().contains("|credentials_rejected|");
    }

    @Test
    void providerPrefixInModelSelectsTheProvider() {
        service.generate(
                "t-a", new GenerateRequest(null, "openai/gpt-4o", List.of(ChatMessage.user("x")), null, null, null));
        service.generate(
                "t-a",
                new GenerateRequest(null, "meta-llama/Llama-3", List.of(ChatMessage.user("x")), null, null, null));
        assertThat(provider.models).containsExactly("gpt-4o", "meta-llama/Llama-3");
    }

    @Test
    void listsProviders() {
        assertThat(service.providers())
                .containsExactly(new ProviderView(
                        "openai",
                        true,
                        true,
                        "default-model",
                        List.of("default-model", "other-model"),
                        "closed",
                        new ProviderView.Bulkhead(Integer.MAX_VALUE, 0)));
    }

    private static GenerateRequest deterministic(String text) {
        return new GenerateRequest(
                null, null, List.of(ChatMessage.user(text)), null, new GenerateOptions(0.0, null, null, null), null);
    }

    @Test
    void deterministicRequestsAreAnsweredFromTheCache() {
        GenerateResponse first = service.generate("t-a", deterministic("same"));
        GenerateResponse second = service.generate("t-a", deterministic("same"));
        assertThat(first.cached()).isFalse();
        assertThat(second.cached()).isTrue();
        assertThat(second.text()).isEqualTo(first.text());
        assertThat(provider.models).hasSize(1);
        assertThat(metrics.cacheResults).containsExactly("miss", "hit");
    }

    @Test
    void cacheIsPerTenantAndPerContent() {
        service.generate("t-a", deterministic("same"));
        service.generate("t-b", deterministic("same"));
        service.generate("t-a", deterministic("different"));
        assertThat(provider.models).hasSize(3);
        assertThat(metrics.cacheResults).containsExactly("miss", "miss", "miss");
    }

    @Test
    void nonDeterministicRequestsSkipTheCacheUnlessForced() {
        service.generate("t-a", request(null));
        service.generate("t-a", request(null));
        assertThat(provider.models).hasSize(2);
        assertThat(cache.entries).isEmpty();
        service.generate("t-a", request(null), CacheMode.FORCE);
        assertThat(service.generate("t-a", request(null), CacheMode.FORCE).cached())
                .isTrue();
        assertThat(provider.models).hasSize(3);
    }

    @Test
    void noCacheRefreshesAndNoStoreLeavesTheCacheAlone() {
        service.generate("t-a", deterministic("q"));
        assertThat(service.generate("t-a", deterministic("q"), CacheMode.REFRESH)
                        .cached())
                .isFalse();
        assertThat(provider.models).hasSize(2);
        cache.entries.clear();
        service.generate("t-a", deterministic("q"), CacheMode.NO_STORE);
        assertThat(cache.entries).isEmpty();
        assertThat(metrics.cacheResults).containsExactly("miss", "bypass", "bypass");
    }

    @Test
    void everyAnswerIsRecordedAndPublishedOnce() {
        service.generate("t-ledger", request("gpt-x"));
        service.generate("t-ledger", deterministic("c"));
        service.generate("t-ledger", deterministic("c"));
        assertThat(ledger).hasSize(3);
        assertThat(published).isEqualTo(ledger);
        UsageRecord first = ledger.get(0);
        assertThat(first.tenant()).isEqualTo("t-ledger");
        assertThat(first.agentId()).isEqualTo("agent-1");
        assertThat(first.provider()).isEqualTo("openai");
        assertThat(first.model()).isEqualTo("gpt-x");
        assertThat(first.totalTokens()).isEqualTo(5);
        assertThat(first.at()).isEqualTo(Instant.parse("2026-11-25T10:00:00Z"));
        assertThat(ledger.get(2).cached()).isTrue();
        assertThat(ledger.get(2).totalTokens()).isZero();
    }

    @Test
    void failuresAreNotRecordedAsUsage() {
        provider.failure = new ProviderFailure(ProviderFailure.Kind.UPSTREAM_ERROR, "openai", "boom", null, null);
        assertThatThrownBy(() -> service.generate("t-a", request(null))).isInstanceOf(ProviderFailure.class);
        assertThat(ledger).isEmpty();
    }
}
