package dev.devloop.provider.config;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.devloop.contracts.identity.IdentityConfig;
import dev.devloop.contracts.identity.ServiceTokens;
import dev.devloop.contracts.provider.GenerateRequest;
import dev.devloop.contracts.provider.GenerateResponse;
import dev.devloop.provider.adapters.in.rest.ChatCompletionRequest;
import dev.devloop.provider.adapters.in.rest.OpenAiWire;
import dev.devloop.provider.adapters.out.kafka.UsageProducerStart;
import dev.devloop.provider.adapters.out.langchain.LangChainChatProvider;
import dev.devloop.provider.adapters.out.langchain.openai.OpenAiChatProvider;
import dev.devloop.provider.adapters.out.mongo.MongoUsageLedger;
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
import dev.devloop.provider.ports.in.GenerateUseCase;
import dev.devloop.provider.ports.in.GenerationStream;
import dev.devloop.provider.ports.out.InjectionDetectorPort;
import dev.devloop.provider.ports.out.ProviderMetricsPort;
import dev.devloop.provider.ports.out.ResponseCachePort;
import io.quarkus.logging.Log;
import io.quarkus.mongodb.reactive.ReactiveMongoClient;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.vertx.http.HttpServerStart;
import io.smallrye.faulttolerance.api.CircuitBreakerMaintenance;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.ObservesAsync;
import jakarta.inject.Provider;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Warms the hot path of {@code /v1/chat/completions} at start, so the first seconds of traffic do not run
 * interpreted code (a fresh JVM served ~6× fewer requests than a warmed one). Once the HTTP server listens, it sends
 * its calls to this gateway's own {@code /v1/chat/completions} over loopback ({@link LoopbackCalls}, several
 * keep-alive connections): the server's decode and dispatch, the cell-token filter, the server span, the route, the
 * OpenAI wire mapping, validation, routing, screening, redaction, cache keys, the OpenAI model's non-blocking HTTP
 * client, usage serialisation and streaming all run. Its calls carry a token this service signs for itself (tenant
 * {@value #TENANT}); {@link WarmupRouting} hands exactly those to a private {@link GenerateService} whose model is a
 * loopback stub on 127.0.0.1 speaking OpenAI's wire format, whose usage ledger writes into a scratch collection emptied
 * when it ends ({@link MongoUsageLedger#scratch}), and whose usage events, cache, spend and metrics go nowhere; its calls also carry a per-run secret header that {@link WarmupHttpMetrics} keeps out of the HTTP server's
 * request metrics. The first {@value #DISTINCT_TOKENS} calls each carry a token of their own (another subject), so
 * the identity filter's ES256 verification is warmed, not only its cache hit. No configured provider is
 * called, nothing is kept, no call is counted. When the loopback calls cannot run (HTTPS only, no HTTP server in
 * time, a refused first call) the same private service is driven in process. It also opens the Redis and MongoDB pools by reading
 * the settings of tenant {@value #TENANT}, and starts the usage events' Kafka producer without sending a record
 * ({@link UsageProducerStart}: its client start otherwise ran beside the first seconds of traffic), and then waits,
 * bounded by {@code devloop.provider.warmup.compile-settle}, until the JIT has compiled what its calls queued
 * ({@link CompilerSettle}). Readiness entry {@code warm-up} is DOWN while it runs (bounded by
 * {@code devloop.provider.warmup.max-duration} and {@code .iterations}); {@code .enabled=false} skips it.
 */
@Readiness
@ApplicationScoped
public class HotPathWarmup implements HealthCheck {
    static final String TENANT = "devloop-warmup";
    private static final int THREADS = 2;
    /** Calls with a token of their own (then the tokens repeat): each is signed and verified once. */
    static final int DISTINCT_TOKENS = 16;

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
    private final ServiceTokens tokens;
    private final IdentityConfig identity;
    private final String insecureRequests;
    private final Provider<Integer> httpPort;
    private final UsageProducerStart usageProducer;
    private final ReactiveMongoClient mongo;
    /** The private service's usage ledger: the real writes into a scratch collection (null until built). */
    private volatile MongoUsageLedger scratchLedger;

    private final AtomicReference<String> state = new AtomicReference<>("pending");
    private final AtomicInteger calls = new AtomicInteger();
    private final CompletableFuture<HttpServerOptions> httpServer = new CompletableFuture<>();
    /**
     * The private service, once built; {@link WarmupRouting} reads it per call. Never cleared: a warm-up call still
     * queued when the warm-up ends must not reach a configured provider (it fails at the closed stub instead).
     */
    private volatile GenerateService loopback;

    /** The secret header value of the warm-up's loopback calls while it runs (null otherwise): see WarmupHttpMetrics. */
    private volatile String metricsMark;
    /** The loopback stub's port once it listens. */
    private volatile int stubPort = -1;

    private volatile String via = "none";
    /** Loopback calls that failed (a run goes on past isolated failures: LoopbackCalls). */
    private volatile int failedCalls;

    private volatile String usageProducerState = "not started";
    /** What {@link #settleCompilers()} saw. */
    private volatile String compilers = "not awaited";

    private volatile long tookMs = -1;

    public HotPathWarmup(
            ProviderConfig config,
            Vertx vertx,
            InjectionDetectorPort detector,
            CircuitBreakerMaintenance circuits,
            RuntimeSettingsService runtimeSettings,
            SafetySettingsService safetySettings,
            ObjectMapper json,
            ServiceTokens tokens,
            IdentityConfig identity,
            @ConfigProperty(name = "quarkus.http.insecure-requests", defaultValue = "enabled") String insecureRequests,
            // read when the warm-up calls: with port 0 (tests) Quarkus publishes the bound port once it listens
            @ConfigProperty(name = "quarkus.http.port") Provider<Integer> httpPort,
            UsageProducerStart usageProducer,
            ReactiveMongoClient mongo) {
        this.config = config;
        this.vertx = vertx;
        this.detector = detector;
        this.circuits = circuits;
        this.runtimeSettings = runtimeSettings;
        this.safetySettings = safetySettings;
        this.json = json;
        this.tokens = tokens;
        this.identity = identity;
        this.insecureRequests = insecureRequests;
        this.httpPort = httpPort;
        this.usageProducer = usageProducer;
        this.mongo = mongo;
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

    /** Quarkus fires it once the main HTTP server listens: the loopback calls can start. */
    void onHttpServer(@ObservesAsync HttpServerStart started) {
        httpServer.complete(started.options());
    }

    /** The private service once the warm-up has built it (null when it is off or has not started). */
    GenerateUseCase loopbackService() {
        return loopback;
    }

    /** The header value that marks the warm-up's loopback calls while it runs; null when it does not run. */
    String metricsMark() {
        return metricsMark;
    }

    /** The port of the warm-up's loopback stub (-1 before it listens). */
    int stubPort() {
        return stubPort;
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("warm-up")
                .status(!"running".equals(state.get()))
                .withData("state", state.get())
                .withData("calls", calls.get())
                .withData("failedCalls", failedCalls)
                .withData("via", via)
                .withData("usageProducer", usageProducerState)
                .withData("compilers", compilers)
                .withData("tookMs", tookMs)
                .build();
    }

    private void run() {
        long start = System.nanoTime();
        HttpServer stub = null;
        // the per-call INFO lines of the application layer (generated, pii redacted, injection flagged) would log
        // thousands of warm-up calls; the pod is not ready (no traffic)
        java.util.logging.Logger serviceLog =
                java.util.logging.Logger.getLogger(GenerateService.class.getPackageName());
        java.util.logging.Level level = serviceLog.getLevel();
        serviceLog.setLevel(java.util.logging.Level.WARNING);
        metricsMark = UUID.randomUUID().toString();
        try {
            openPools();
            CompletableFuture<Integer> producer = startUsageProducer();
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
            stubPort = stub.actualPort();
            GenerateService service = service("http://127.0.0.1:" + stub.actualPort() + "/v1");
            loopback = service;
            long deadline = start + config.warmup().maxDuration().toNanos();
            if (!overLoopback(service, deadline)) {
                inProcess(service, deadline);
            }
            awaitUsageProducer(producer, deadline);
            emptyScratchLedger();
            settleCompilers();
            state.set("done");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            state.set("interrupted");
        } catch (Exception | LinkageError e) {
            // a warm-up that cannot run only costs speed: never startup, never readiness
            state.set("failed: " + e.getClass().getSimpleName());
            Log.warnf("hot-path warm-up failed after %d calls: %s", calls.get(), e.toString());
        } finally {
            emptyScratchLedger(); // when the calls failed or were interrupted before the try's own emptying
            // a call still in flight past the deadline (+1 s) is counted like any other
            metricsMark = null;
            if (stub != null) {
                stub.close();
            }
            serviceLog.setLevel(level);
            tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            Log.infof("hot-path warm-up %s: %d calls in %d ms", state.get(), calls.get(), tookMs);
        }
    }

    /**
     * The calls through this gateway's own HTTP server; false when none could be made (no server before the deadline,
     * the first call refused), so the caller warms in process instead.
     */
    private boolean overLoopback(GenerateService service, long deadline) throws InterruptedException {
        if ("disabled".equalsIgnoreCase(insecureRequests)) {
            return false; // HTTPS only (the chart's TLS cell): no plain HTTP server to call
        }
        HttpServerOptions server;
        try {
            server = httpServer.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            Log.warnf("hot-path warm-up: no HTTP server before the deadline (%s); warming in process", e);
            return false;
        }
        AtomicInteger tokensIssued = new AtomicInteger();
        LoopbackCalls.Outcome outcome = new LoopbackCalls(
                        vertx, loopbackHost(server.getHost()), port(server), metricsMark)
                .run(
                        config.warmup().iterations(),
                        Math.max(1, Math.min(64, config.warmup().connections())),
                        deadline,
                        () -> tokens.bearer(
                                identity.service(),
                                TENANT,
                                TENANT + "-" + (tokensIssued.getAndIncrement() % DISTINCT_TOKENS),
                                List.of()),
                        i -> body(i));
        calls.addAndGet(outcome.ok());
        via = "http";
        failedCalls = outcome.failed();
        if (outcome.firstFailure() != null) {
            Log.warnf(
                    "hot-path warm-up: %d of %d loopback calls failed, the first: %s",
                    outcome.failed(), outcome.ok() + outcome.failed(), outcome.firstFailure());
        }
        return outcome.ok() > 0;
    }

    private static String loopbackHost(String host) {
        return host == null || host.isBlank() || "0.0.0.0".equals(host) || "::".equals(host) || "[::]".equals(host)
                ? "127.0.0.1"
                : host;
    }

    /** The listening port: the configured one, or (port 0, as in tests) the one Quarkus publishes once bound. */
    private int port(HttpServerOptions server) {
        return server.getPort() > 0 ? server.getPort() : httpPort.get();
    }

    private void inProcess(GenerateService service, long deadline) throws InterruptedException {
        via = "in-process";
        int perThread = Math.max(1, (config.warmup().iterations() - calls.get()) / THREADS);
        Thread[] threads = new Thread[THREADS];
        for (int i = 0; i < THREADS; i++) {
            threads[i] = new Thread(() -> loop(service, perThread, deadline), "devloop-warmup-" + i);
            threads[i].setDaemon(true);
            threads[i].start();
        }
        for (Thread t : threads) {
            t.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()) + 1000));
        }
    }

    /** Starts the usage producer's client (connect, metadata, producer id) beside the warm-up's calls; sends nothing. */
    private CompletableFuture<Integer> startUsageProducer() {
        if (usageProducer == null) {
            return CompletableFuture.completedFuture(0);
        }
        usageProducerState = "connecting";
        try {
            return usageProducer.connect().toCompletableFuture();
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /** Waits for the producer's start until the warm-up's deadline, at most 5 s more; a failure only costs speed. */
    private void awaitUsageProducer(CompletableFuture<Integer> producer, long deadline) throws InterruptedException {
        if (usageProducer == null) {
            return;
        }
        long waitMs = Math.max(1, Math.min(5_000, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
        try {
            int partitions = producer.get(waitMs, TimeUnit.MILLISECONDS);
            usageProducerState = "connected (" + partitions + " partitions)";
        } catch (java.util.concurrent.ExecutionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            usageProducerState = "failed: " + cause.getClass().getSimpleName();
            Log.debugf("warm-up usage producer start failed: %s", cause.toString());
        } catch (java.util.concurrent.TimeoutException e) {
            usageProducerState = "still connecting";
        }
    }

    /**
     * Empties the scratch ledger's collection once its writes are done, once per warm-up; a failure only leaves it to
     * the next start.
     */
    private void emptyScratchLedger() {
        MongoUsageLedger ledger = scratchLedger;
        scratchLedger = null;
        if (ledger == null) {
            return;
        }
        try {
            ledger.emptyScratch(Duration.ofSeconds(3));
        } catch (RuntimeException e) {
            Log.debugf("warm-up scratch ledger not emptied: %s", e.toString());
        }
    }

    /** Holds readiness (bounded) until the JIT has compiled what the calls queued: see {@link CompilerSettle}. */
    private void settleCompilers() throws InterruptedException {
        Optional<CompilerSettle> settle = CompilerSettle.ofThisJvm();
        if (settle.isEmpty()) {
            compilers = "not observable";
            return;
        }
        CompilerSettle.Outcome outcome = settle.get().await(config.warmup().compileSettle());
        compilers = outcome == CompilerSettle.Outcome.SKIPPED
                ? "not awaited"
                : (outcome.quiet() ? "quiet after " : "still compiling after ") + outcome.waitedMs() + " ms";
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
        boolean stream = streams(i);
        ChatCompletionRequest wire =
                json.readValue(body(i).getBytes(StandardCharsets.UTF_8), ChatCompletionRequest.class);
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

    private static boolean streams(int i) {
        return i % 16 == 5;
    }

    /** The i-th call's body: some deterministic (cached), some with an e-mail address (redacted), some streamed. */
    private static String body(int i) {
        boolean deterministic = i % 8 == 0;
        return "{\"model\":\"gpt-4o-mini\",\"temperature\":" + (deterministic ? "0" : "0.7") + ",\"stream\":"
                + streams(i) + (streams(i) ? ",\"stream_options\":{\"include_usage\":true}" : "")
                + ",\"messages\":[{\"role\":\"system\",\"content\":\"be brief\"},{\"role\":\"user\",\"content\":\"say hi to "
                + (i % 4 == 0 ? "jane.doe@example.com" : "the team") + " #" + i + "\"}]}";
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
        MongoUsageLedger ledger = MongoUsageLedger.scratch(mongo, config.database());
        scratchLedger = ledger;
        return new GenerateService(
                        List.of(provider),
                        "openai",
                        ProviderWiring.limits(config),
                        metrics,
                        new OneEntryCache(),
                        new CacheSettings(true, c.ttl(), c.maxEntryBytes()),
                        ledger,
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
                        true)
                .afterCallsOn(io.smallrye.mutiny.infrastructure.Infrastructure.getDefaultWorkerPool())
                .sendsOn(ProviderWiring::onRequestEventLoop);
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
