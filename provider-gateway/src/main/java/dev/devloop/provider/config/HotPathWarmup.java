package dev.devloop.provider.config;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.devloop.contracts.provider.GenerateRequest;
import dev.devloop.contracts.provider.GenerateResponse;
import dev.devloop.provider.adapters.in.rest.ChatCompletionRequest;
import dev.devloop.provider.adapters.in.rest.OpenAiWire;
import dev.devloop.provider.adapters.out.langchain.LangChainChatProvider;
import dev.devloop.provider.adapters.out.langchain.openai.OpenAiChatProvider;
import dev.devloop.provider.application.GatewayPolicies;
import dev.devloop.provider.application.GenerateService;
import dev.devloop.provider.application.PromptSafety;
import dev.devloop.provider.application.RuntimeSettingsService;
import dev.devloop.provider.application.SafetySettingsService;
import dev.devloop.provider.domain.CacheMode;
import dev.devloop.provider.domain.CacheSettings;
import dev.devloop.provider.domain.PriceTable;
import dev.devloop.provider.domain.ProviderFailure;
import dev.devloop.provider.domain.RetryPolicy;
import dev.devloop.provider.domain.TenantSettings;
import dev.devloop.provider.domain.UsageRecord;
import dev.devloop.provider.ports.in.GenerationStream;
import dev.devloop.provider.ports.out.InjectionDetectorPort;
import dev.devloop.provider.ports.out.ProviderMetricsPort;
import dev.devloop.provider.ports.out.ResponseCachePort;
import io.quarkus.logging.Log;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.faulttolerance.api.CircuitBreakerMaintenance;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Warms the hot path of {@code /v1/chat/completions} at start, so the first seconds of traffic do not run
 * interpreted code (a fresh JVM served ~6× fewer requests than a warmed one): two threads run the real
 * code — OpenAI wire mapping, validation, routing, injection screening, PII redaction, cache keys, the
 * LangChain4j OpenAI model and its HTTP client, usage-record serialisation, streaming — against a loopback
 * stub on 127.0.0.1 speaking OpenAI's wire format, through a private {@link GenerateService} whose ledger,
 * usage events, cache, spend and metrics go nowhere. No configured provider is ever called, nothing is
 * stored, no metric is counted. It also opens the Redis and MongoDB pools by reading the settings of
 * tenant {@value #TENANT}. Readiness entry {@code warm-up} is DOWN while it runs (bounded by
 * {@code devloop.provider.warmup.max-duration} and {@code .iterations}); {@code .enabled=false} skips it.
 */
@Readiness
@ApplicationScoped
public class HotPathWarmup implements HealthCheck {
    static final String TENANT = "devloop-warmup";
    private static final int THREADS = 2;
    private static final String COMPLETION =
            "{\"id\":\"chatcmpl-warmup\",\"object\":\"chat.completion\",\"created\":1764000000,"
                    + "\"model\":\"gpt-4o-mini\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"hi\"},"
                    + "\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":12,\"completion_tokens\":1,\"total_tokens\":13}}";
    private static final String STREAM = chunk("{\"role\":\"assistant\",\"content\":\"\"}", "null")
            + chunk("{\"content\":\"hi\"}", "null") + chunk("{}", "\"stop\"") + "data: [DONE]\n\n";

    private final ProviderConfig config;
    private final Vertx vertx;
    private final InjectionDetectorPort detector;
    private final CircuitBreakerMaintenance circuits;
    private final RuntimeSettingsService runtimeSettings;
    private final SafetySettingsService safetySettings;
    private final ObjectMapper json;
    private final AtomicReference<String> state = new AtomicReference<>("pending");
    private final AtomicInteger calls = new AtomicInteger();
    private volatile long tookMs = -1;

    public HotPathWarmup(
            ProviderConfig config,
            Vertx vertx,
            InjectionDetectorPort detector,
            CircuitBreakerMaintenance circuits,
            RuntimeSettingsService runtimeSettings,
            SafetySettingsService safetySettings,
            ObjectMapper json) {
        this.config = config;
        this.vertx = vertx;
        this.detector = detector;
        this.circuits = circuits;
        this.runtimeSettings = runtimeSettings;
        this.safetySettings = safetySettings;
        this.json = json;
    }

    void onStart(@Observes StartupEvent ignored) {
        if (!config.warmup().enabled()) {
            state.set("off");
            return;
        }
        state.set("running");
        Thread t = new Thread(this::run, "devloop-warmup");
        t.setDaemon(true);
        t.start();
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("warm-up")
                .status(!"running".equals(state.get()))
                .withData("state", state.get())
                .withData("calls", calls.get())
                .withData("tookMs", tookMs)
                .build();
    }

    private void run() {
        long start = System.nanoTime();
        HttpServer stub = null;
        // the per-call INFO lines of the service would log thousands of warm-up calls; the pod is not ready (no
        // traffic)
        java.util.logging.Logger serviceLog = java.util.logging.Logger.getLogger(GenerateService.class.getName());
        java.util.logging.Level level = serviceLog.getLevel();
        serviceLog.setLevel(java.util.logging.Level.WARNING);
        try {
            openPools();
            stub = vertx.createHttpServer(
                            new HttpServerOptions().setHost("127.0.0.1").setPort(0))
                    .requestHandler(req -> req.body().onComplete(body -> {
                        boolean stream =
                                body.succeeded() && body.result().toString().contains("\"stream\":true");
                        req.response()
                                .putHeader("Content-Type", stream ? "text/event-stream" : "application/json")
                                .end(stream ? STREAM : COMPLETION);
                    }))
                    .listen()
                    .toCompletionStage()
                    .toCompletableFuture()
                    .get(10, TimeUnit.SECONDS);
            GenerateService service = service("http://127.0.0.1:" + stub.actualPort() + "/v1");
            long deadline = start + config.warmup().maxDuration().toNanos();
            int perThread = Math.max(1, config.warmup().iterations() / THREADS);
            Thread[] threads = new Thread[THREADS];
            for (int i = 0; i < THREADS; i++) {
                threads[i] = new Thread(() -> loop(service, perThread, deadline), "devloop-warmup-" + i);
                threads[i].setDaemon(true);
                threads[i].start();
            }
            for (Thread t : threads) {
                t.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()) + 1000));
            }
            state.set("done");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            state.set("interrupted");
        } catch (Exception | LinkageError e) {
            // a warm-up that cannot run only costs speed: never startup, never readiness
            state.set("failed: " + e.getClass().getSimpleName());
            Log.warnf("hot-path warm-up failed after %d calls: %s", calls.get(), e.toString());
        } finally {
            if (stub != null) {
                stub.close();
            }
            serviceLog.setLevel(level);
            tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            Log.infof("hot-path warm-up %s: %d calls in %d ms", state.get(), calls.get(), tookMs);
        }
    }

    /** Reads the warm-up tenant's settings once: opens the Redis and MongoDB connections the first request needs. */
    private void openPools() {
        try {
            runtimeSettings.effective(TENANT);
            safetySettings.effective(TENANT);
        } catch (RuntimeException e) {
            Log.debugf("warm-up settings read failed: %s", e.getMessage());
        }
    }

    private void loop(GenerateService service, int iterations, long deadline) {
        for (int i = 0; i < iterations && System.nanoTime() < deadline; i++) {
            try {
                once(service, i);
                calls.incrementAndGet();
            } catch (RuntimeException | java.io.IOException e) {
                Log.debugf("warm-up call failed: %s", e.toString());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** One request as the route sees it: bytes → JSON → request → answer → OpenAI JSON; some cached, some streamed. */
    private void once(GenerateService service, int i) throws java.io.IOException, InterruptedException {
        boolean deterministic = i % 8 == 0;
        boolean stream = i % 16 == 5;
        String body =
                "{\"model\":\"gpt-4o-mini\",\"temperature\":" + (deterministic ? "0" : "0.7") + ",\"stream\":" + stream
                        + ",\"messages\":[{\"role\":\"system\",\"content\":\"be brief\"},{\"role\":\"user\",\"content\":\"say hi to "
                        + (i % 4 == 0 ? "jane.doe@example.com" : "the team") + " #" + i + "\"}]}";
        ChatCompletionRequest wire = json.readValue(body.getBytes(StandardCharsets.UTF_8), ChatCompletionRequest.class);
        GenerateRequest request = OpenAiWire.toRequest(wire);
        if (!stream) {
            GenerateResponse r = service.generateAsync(TENANT, request, CacheMode.of(null, null), false)
                    .toCompletableFuture()
                    .join();
            OpenAiWire.completion("chatcmpl-warmup", 0, r).toString();
            return;
        }
        CountDownLatch done = new CountDownLatch(1);
        service.stream(TENANT, request, false, new GenerationStream() {
            @Override
            public void onText(String delta) {}

            @Override
            public void onComplete(GenerateResponse response) {
                done.countDown();
            }

            @Override
            public void onError(ProviderFailure failure) {
                done.countDown();
            }
        });
        done.await(5, TimeUnit.SECONDS);
    }

    /** The real service over one OpenAI-compatible provider named {@code openai} at the loopback stub; side effects off. */
    private GenerateService service(String baseUrl) {
        LangChainChatProvider.Endpoint endpoint = new LangChainChatProvider.Endpoint(
                Optional.of("sk-warmup"),
                Optional.of(baseUrl),
                "gpt-4o-mini",
                List.of(),
                Duration.ofSeconds(10),
                false);
        // the production provider's non-blocking call (OpenAiHttpCall), without its circuit
        OpenAiChatProvider provider = OpenAiChatProvider.unguarded(endpoint, circuits, vertx);
        Map<String, PriceTable.Price> prices = new ConcurrentHashMap<>();
        config.prices()
                .forEach((model, p) -> prices.put(model, new PriceTable.Price(p.inputPerMtok(), p.outputPerMtok())));
        GatewayPolicies policies = new GatewayPolicies(
                Map.of(),
                RetryPolicy.NONE,
                64,
                new PriceTable(prices),
                Map.of(),
                null,
                GatewayPolicies.NONE.spend(),
                Set.of(),
                GatewayPolicies.NONE.retryWaits(),
                GatewayPolicies.NONE.random(),
                Map.of(),
                Map.of());
        ProviderMetricsPort metrics = ProviderMetricsPort.NONE;
        ProviderConfig.Cache c = config.cache();
        return new GenerateService(
                List.of(provider),
                "openai",
                ProviderWiring.limits(config),
                metrics,
                new OneEntryCache(),
                new CacheSettings(true, c.ttl(), c.maxEntryBytes()),
                usage -> {},
                this::serialise,
                Clock.systemUTC(),
                System::nanoTime,
                policies,
                tenant -> new TenantSettings(true, Duration.ofMinutes(1)),
                new PromptSafety(
                        tenant -> ProviderWiring.safetyDefaults(config),
                        detector,
                        config.safety().injectionThreshold(),
                        metrics),
                true);
    }

    /** What the usage publisher does with a record before sending it: serialise it (and drop it). */
    private void serialise(UsageRecord usage) {
        try {
            json.writeValueAsString(usage);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String chunk(String delta, String finish) {
        return "data: {\"id\":\"chatcmpl-warmup\",\"object\":\"chat.completion.chunk\",\"created\":1764000000,"
                + "\"model\":\"gpt-4o-mini\",\"choices\":[{\"index\":0,\"delta\":" + delta + ",\"finish_reason\":"
                + finish
                + "}]}\n\n";
    }

    /** The warm-up's cache: one entry per key, at most 16 keys. */
    private static final class OneEntryCache implements ResponseCachePort {
        private final Map<String, GenerateResponse> entries = new ConcurrentHashMap<>();

        @Override
        public Optional<GenerateResponse> get(String tenant, String key) {
            return Optional.ofNullable(entries.get(key));
        }

        @Override
        public void put(String tenant, String key, GenerateResponse response, Duration ttl) {
            if (entries.size() < 16) {
                entries.put(key, response);
            }
        }

        @Override
        public long clear(String tenant) {
            int n = entries.size();
            entries.clear();
            return n;
        }
    }
}
