package dev.devloop.provider.application;

import dev.devloop.contracts.logging.LogFields;
import dev.devloop.contracts.problem.Refusal;
import dev.devloop.contracts.provider.GenerateRequest;
import dev.devloop.contracts.provider.GenerateResponse;
import dev.devloop.contracts.provider.InjectionScreening;
import dev.devloop.contracts.provider.Usage;
import dev.devloop.provider.domain.CacheMode;
import dev.devloop.provider.domain.CacheSettings;
import dev.devloop.provider.domain.ContextPrompt;
import dev.devloop.provider.domain.FinishReason;
import dev.devloop.provider.domain.ProviderFailure;
import dev.devloop.provider.domain.RequestLimits;
import dev.devloop.provider.domain.Route;
import dev.devloop.provider.domain.SafetySettings;
import dev.devloop.provider.domain.Stages;
import dev.devloop.provider.domain.TenantSettings;
import dev.devloop.provider.ports.in.GenerateUseCase;
import dev.devloop.provider.ports.in.GenerationStream;
import dev.devloop.provider.ports.in.ListProvidersUseCase;
import dev.devloop.provider.ports.in.ProviderView;
import dev.devloop.provider.ports.in.ResetCircuitUseCase;
import dev.devloop.provider.ports.out.ChatProviderPort;
import dev.devloop.provider.ports.out.CircuitPolicy;
import dev.devloop.provider.ports.out.GenerateCommand;
import dev.devloop.provider.ports.out.ProviderAnswer;
import dev.devloop.provider.ports.out.ProviderMetricsPort;
import dev.devloop.provider.ports.out.PublishUsagePort;
import dev.devloop.provider.ports.out.ResponseCachePort;
import dev.devloop.provider.ports.out.UsageLedgerPort;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.LongSupplier;
import org.jboss.logging.Logger;

/**
 * The generate use case: validates a request, routes it ({@link ProviderRouter}: explicit provider,
 * {@code provider/model}, alias fallback chain, or the provider advertising the model), checks the tenant's budget
 * ({@link BudgetCheck}), screens and masks ({@link PromptSafety}, {@link PiiMasking}), answers deterministic requests
 * from the cache, and otherwise calls the provider through {@link ProviderInvoker} (its SmallRye guard: bulkhead,
 * retries), falling back along the alias's chain on failures the next provider may not have; streams go through
 * {@link StreamRelay}. {@link CallOutcomes} measures, prices, logs and records every call.
 */
public class GenerateService implements GenerateUseCase, ListProvidersUseCase, ResetCircuitUseCase {
    private static final Logger LOG = Logger.getLogger(GenerateService.class);

    private final ProviderRouter router;
    private final ProviderInvoker invoker;
    private final RequestLimits limits;
    private final ProviderMetricsPort metrics;
    private final ResponseCachePort responses;
    private final LongSupplier nanoClock;
    private final GatewayPolicies policies;
    private final Function<String, TenantSettings> tenantSettings;
    private final PromptSafety safety;
    private final PiiMasking masking;
    private final CallOutcomes outcomes;
    private final BudgetCheck budget;
    private final StreamRelay relay;
    private Executor afterCalls = Runnable::run;
    private Executor sends = Runnable::run;

    /** The configured cache settings for every tenant (no runtime overrides). */
    public static Function<String, TenantSettings> configuredFor(CacheSettings cache) {
        return tenant -> new TenantSettings(cache.enabled(), cache.ttl());
    }

    /**
     * Without safety settings (no default redaction, no injection screening) and with unknown models served by
     * the default provider: the behaviour before both existed, kept for tests of other concerns.
     */
    public GenerateService(
            List<ChatProviderPort> providers,
            String defaultProvider,
            RequestLimits limits,
            ProviderMetricsPort metrics,
            ResponseCachePort responses,
            CacheSettings cache,
            UsageLedgerPort ledger,
            PublishUsagePort usageEvents,
            Clock clock,
            LongSupplier nanoClock,
            GatewayPolicies policies,
            Function<String, TenantSettings> tenantSettings) {
        this(
                providers,
                defaultProvider,
                limits,
                metrics,
                responses,
                cache,
                ledger,
                usageEvents,
                clock,
                nanoClock,
                policies,
                tenantSettings,
                PromptSafety.none(metrics),
                false);
    }

    /**
     * Each tenant's cache settings (runtime overrides of {@code cache}) and safety settings are looked up per
     * request; {@code rejectUnknownModels} answers a model that is no alias, no {@code provider/model} route and
     * advertised by no provider with 400 {@code model-not-found} instead of sending it to the default provider.
     */
    public GenerateService(
            List<ChatProviderPort> providers,
            String defaultProvider,
            RequestLimits limits,
            ProviderMetricsPort metrics,
            ResponseCachePort responses,
            CacheSettings cache,
            UsageLedgerPort ledger,
            PublishUsagePort usageEvents,
            Clock clock,
            LongSupplier nanoClock,
            GatewayPolicies policies,
            Function<String, TenantSettings> tenantSettings,
            PromptSafety safety,
            boolean rejectUnknownModels) {
        this.tenantSettings = tenantSettings;
        this.safety = safety;
        this.router = new ProviderRouter(providers, defaultProvider, policies.aliases(), rejectUnknownModels);
        this.invoker = new ProviderInvoker(router.names(), circuits(providers), policies, metrics, clock);
        this.limits = limits;
        this.metrics = metrics;
        this.responses = responses;
        this.nanoClock = nanoClock;
        this.policies = policies;
        this.masking = new PiiMasking(metrics);
        this.outcomes = new CallOutcomes(
                metrics, policies, new UsageRecorder(ledger, usageEvents, clock), masking, clock, nanoClock);
        this.budget = new BudgetCheck(policies, metrics, clock);
        this.relay = new StreamRelay(router, invoker, outcomes);
    }

    /**
     * Where the work after a non-blocking provider call runs when it may block (the cache store and a budget's spend
     * on Redis, the next route of a fallback): the application's worker pool; by default the thread that completed the
     * call. An answer whose follow-up cannot block is finished on the completing thread either way.
     */
    public GenerateService afterCallsOn(Executor executor) {
        this.afterCalls = executor;
        return this;
    }

    /**
     * Where a {@link ChatProviderPort#nonBlocking()} provider's call is started once the call is prepared (the
     * preparation may block: safety settings, the cache lookup, a budget): the event loop of the request, so the call,
     * its guard, its answer and what follows a successful answer that cannot block ({@link #finishesWithoutBlocking})
     * run on that one thread, with no hand-off to another one; by default the preparing thread.
     */
    public GenerateService sendsOn(Executor executor) {
        this.sends = executor;
        return this;
    }

    @Override
    public GenerateResponse generate(String tenant, GenerateRequest request, CacheMode mode) {
        return generate(tenant, request, mode, false);
    }

    @Override
    public GenerateResponse generate(String tenant, GenerateRequest request, CacheMode mode, boolean redact) {
        return generate(prepare(tenant, request, redact, null), mode);
    }

    @Override
    public GenerateResponse generateWithContext(
            String tenant, GenerateRequest request, ContextPrompt context, CacheMode mode, boolean redact) {
        return generate(prepare(tenant, request, redact, context), mode);
    }

    private GenerateResponse generate(PreparedCall call, CacheMode mode) {
        return answer(call, mode).withInjection(call.screening());
    }

    /** The cache decision of one call: whether it may be answered from and stored to the cache, and any hit. */
    private record CachePlan(boolean cacheable, String key, TenantSettings settings, GenerateResponse hit) {}

    private CachePlan plan(PreparedCall call, CacheMode mode) {
        String tenant = call.command().tenant();
        Route first = call.routes().get(0);
        boolean candidate = mode != CacheMode.NO_STORE && (mode == CacheMode.FORCE || call.deterministic());
        // the tenant's runtime settings (PUT /v1/settings) decide: disabled → no lookup and no store
        TenantSettings settings = candidate ? tenantSettings.apply(tenant) : null;
        boolean cacheable = candidate && settings.cacheEnabled();
        String key = cacheable ? CacheKeys.of(call.commandFor(first), first.model()) : null;
        if (cacheable && mode != CacheMode.REFRESH) {
            Optional<GenerateResponse> hit = responses.get(tenant, key);
            metrics.recordCache(first.provider(), first.model(), hit.isPresent() ? "hit" : "miss");
            if (hit.isPresent()) {
                return new CachePlan(true, key, settings, hit.get());
            }
        } else if (mode == CacheMode.REFRESH || mode == CacheMode.NO_STORE) {
            metrics.recordCache(first.provider(), first.model(), "bypass");
        }
        return new CachePlan(cacheable, key, settings, null);
    }

    private GenerateResponse answer(PreparedCall call, CacheMode mode) {
        CachePlan plan = plan(call, mode);
        if (plan.hit() != null) {
            return outcomes.cached(call, plan.hit());
        }
        budget.check(call.command().tenant());
        for (int i = 0; ; i++) {
            Route route = call.routes().get(i);
            ChatProviderPort provider = router.provider(route.provider());
            ProviderAnswer answer;
            try {
                if (!provider.configured()) {
                    throw notConfigured(provider);
                }
                answer = invoker.chat(provider, call.commandFor(route), route.model());
            } catch (ProviderFailure failure) {
                if (fallsBack(call, route, i, failure)) {
                    continue;
                }
                throw failure;
            }
            return succeeded(call, plan, route, answer);
        }
    }

    /** The circuits the providers hand over to the invoker's guard (one guard per call), by provider. */
    private static Map<String, CircuitPolicy> circuits(List<ChatProviderPort> providers) {
        Map<String, CircuitPolicy> circuits = new HashMap<>();
        providers.forEach(p -> p.circuit().ifPresent(c -> circuits.put(p.name(), c)));
        return circuits;
    }

    private static ProviderFailure notConfigured(ChatProviderPort provider) {
        return ProviderFailure.of(ProviderFailure.Kind.NOT_CONFIGURED, provider.name(), provider.notConfiguredDetail());
    }

    /** Records a failed route; true when the alias's chain goes on to the next one. */
    private boolean fallsBack(PreparedCall call, Route route, int i, ProviderFailure failure) {
        outcomes.failed(call, route, failure);
        if (i + 1 < call.routes().size() && failure.kind().fallsBack()) {
            outcomes.fallingBack(call, route, call.routes().get(i + 1), failure);
            return true;
        }
        return false;
    }

    private GenerateResponse succeeded(PreparedCall call, CachePlan plan, Route route, ProviderAnswer answer) {
        GenerateResponse response = outcomes.succeeded(call, route, answer, false);
        if (plan.cacheable()
                && plan.settings().cacheTtl().toMillis() > 0
                && (answer.finishReason() == FinishReason.STOP || answer.finishReason() == FinishReason.TOOL_CALLS)) {
            responses.put(
                    call.command().tenant(),
                    plan.key(),
                    response,
                    plan.settings().cacheTtl());
        }
        return response;
    }

    @Override
    public CompletionStage<GenerateResponse> generateAsync(
            String tenant, GenerateRequest request, CacheMode mode, boolean redact) {
        PreparedCall call = prepare(tenant, request, redact, null);
        CachePlan plan = plan(call, mode);
        if (plan.hit() != null) {
            return CompletableFuture.completedFuture(
                    outcomes.cached(call, plan.hit()).withInjection(call.screening()));
        }
        budget.check(tenant);
        ChatProviderPort first = router.provider(call.routes().get(0).provider());
        if (!first.nonBlocking() || !first.configured()) {
            return attempt(call, plan, 0, false).thenApply(r -> r.withInjection(call.screening()));
        }
        CompletableFuture<GenerateResponse> result = new CompletableFuture<>();
        sends.execute(() -> {
            try {
                attempt(call, plan, 0, true).whenComplete((r, error) -> {
                    if (error == null) {
                        result.complete(r.withInjection(call.screening()));
                    } else {
                        result.completeExceptionally(error);
                    }
                });
            } catch (RuntimeException e) {
                result.completeExceptionally(e);
            }
        });
        return result;
    }

    /**
     * Route {@code i} of the call: a {@link ChatProviderPort#nonBlocking()} provider answers later, and what follows
     * runs on {@link #afterCalls} when it may block (the cache store, a budget's spend, the next route after a
     * failure), else on the thread that completed the provider's stage ({@link #finishesWithoutBlocking}); any other
     * provider is called here, as {@link #answer} does. {@code mustNotBlock}: started by {@link #sends} (an event loop),
     * so even an answer known at once goes on to {@link #afterCalls} when what follows may block.
     */
    private CompletionStage<GenerateResponse> attempt(PreparedCall call, CachePlan plan, int i, boolean mustNotBlock) {
        Route route = call.routes().get(i);
        ChatProviderPort provider = router.provider(route.provider());
        CompletionStage<ProviderAnswer> sent;
        try {
            if (!provider.configured()) {
                throw notConfigured(provider);
            }
            sent = provider.nonBlocking()
                    ? invoker.chatAsync(provider, call.commandFor(route), route.model())
                    : CompletableFuture.completedFuture(invoker.chat(provider, call.commandFor(route), route.model()));
        } catch (ProviderFailure failure) {
            sent = CompletableFuture.failedFuture(failure);
        }
        BiFunction<ProviderAnswer, Throwable, CompletionStage<GenerateResponse>> then = (answer, error) -> {
            if (error == null) {
                return CompletableFuture.completedFuture(succeeded(call, plan, route, answer));
            }
            Throwable cause = Stages.cause(error);
            if (cause instanceof ProviderFailure failure && fallsBack(call, route, i, failure)) {
                return attempt(call, plan, i + 1, false);
            }
            return CompletableFuture.failedFuture(cause);
        };
        CompletableFuture<ProviderAnswer> done = sent.toCompletableFuture();
        if (done.isDone() && !mustNotBlock) {
            return done.handle(then).thenCompose(s -> s);
        }
        if (!finishesWithoutBlocking(call, plan)) {
            return done.handleAsync(then, afterCalls).thenCompose(s -> s);
        }
        // an answer is finished on the thread that completed it (the client's event loop, which then writes the
        // response too): two thread hand-offs fewer per call; a failure (a fallback may call a blocking provider) still
        // goes to afterCalls
        return done.handle((answer, error) -> error == null
                        ? CompletableFuture.completedFuture(succeeded(call, plan, route, answer))
                        : CompletableFuture.supplyAsync(() -> then.apply(answer, error), afterCalls)
                                .thenCompose(s -> s))
                .thenCompose(s -> s);
    }

    /**
     * Whether a successful answer's follow-up never blocks: no cache store (Redis) and no tenant budget (whose spend is
     * added synchronously, {@link CallOutcomes#succeeded}); metrics, the log line, the buffered spend and the usage
     * ledger and event (queued, written by their own threads) do not.
     */
    private boolean finishesWithoutBlocking(PreparedCall call, CachePlan plan) {
        return !plan.cacheable() && policies.budgetOf(call.command().tenant()) == null;
    }

    @Override
    public void stream(String tenant, GenerateRequest request, GenerationStream stream) {
        stream(tenant, request, false, stream);
    }

    @Override
    public void stream(String tenant, GenerateRequest request, boolean redact, GenerationStream stream) {
        PreparedCall call = prepare(tenant, request, redact, null);
        budget.check(tenant);
        stream.onScreened(call.screening());
        relay.relay(call, 0, stream);
    }

    @Override
    public List<ProviderView> providers() {
        List<ProviderView> views = new ArrayList<>();
        for (ChatProviderPort p : router.ordered()) {
            views.add(new ProviderView(
                    p.name(),
                    p.configured(),
                    p.name().equals(router.defaultProvider()),
                    p.defaultModel(),
                    p.models(),
                    p.circuitState(),
                    invoker.bulkhead(p.name())));
        }
        return views;
    }

    @Override
    public CircuitReset resetCircuit(String tenant, String name) {
        ChatProviderPort provider = router.ordered().stream()
                .filter(p -> p.name().equals(name))
                .findFirst()
                .orElseThrow(() -> new Refusal(
                        Refusal.Reason.NOT_FOUND,
                        "provider-not-found",
                        "Provider not found",
                        "no provider named " + name + "; known: " + router.names(),
                        "name"));
        String before = provider.circuitState();
        provider.resetCircuit();
        String after = provider.circuitState();
        metrics.recordCircuitReset(name);
        LogFields.of("provider", name, "tenant", tenant, "before", before, "after", after)
                .info(LOG, "provider circuit reset");
        return new CircuitReset(name, before, after);
    }

    /** The configured aliases and their chains, for {@code /v1/models}. */
    public Map<String, List<Route>> aliases() {
        return policies.aliases();
    }

    private PreparedCall prepare(String tenant, GenerateRequest request, boolean redact, ContextPrompt context) {
        ProviderRouter.Routed routed = router.route(request);
        String alias = routed.alias();
        List<Route> routes = routed.chain();
        GenerateCommand command = GenerateRequestValidation.validate(
                tenant, routed.request(), limits, router.names(), router.defaultProvider());
        ChatProviderPort provider = router.provider(command.provider());
        String model = command.model() != null ? command.model() : provider.defaultModel();
        if (routes == null) {
            routes = List.of(new Route(command.provider(), model));
        }
        SafetySettings safe = safety.settingsOf(tenant);
        // screened as the caller wrote it (before masking), so masking cannot hide or create a signal
        InjectionScreening screening = safety.screen(tenant, safe, command.messages(), context);
        boolean redacting = redact || policies.redactTenants().contains(tenant) || safe.piiRedaction();
        if (redacting) {
            command = command.withMessages(masking.messages(command.messages()));
        }
        if (routes.size() == 1 && !provider.configured()) {
            metrics.recordCall(
                    provider.name(),
                    model,
                    CallOutcomes.outcome(ProviderFailure.Kind.NOT_CONFIGURED),
                    Duration.ZERO,
                    Usage.NONE);
            LogFields.of("tenant", tenant, "provider", provider.name(), "reason", "not-configured")
                    .warn(LOG, "generate rejected");
            throw ProviderFailure.of(
                    ProviderFailure.Kind.NOT_CONFIGURED, provider.name(), provider.notConfiguredDetail());
        }
        ContextPrompt prompt = context == null ? null : (redacting ? masking.context(context) : context);
        return new PreparedCall(command, routes, alias, prompt, nanoClock.getAsLong(), redacting, screening);
    }
}
