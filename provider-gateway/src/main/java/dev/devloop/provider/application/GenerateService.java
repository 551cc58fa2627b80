package dev.devloop.provider.application;

import dev.devloop.contracts.provider.ChatMessage;
import dev.devloop.contracts.provider.GenerateRequest;
import dev.devloop.contracts.provider.GenerateResponse;
import dev.devloop.contracts.provider.InjectionScreening;
import dev.devloop.contracts.provider.ToolCall;
import dev.devloop.contracts.provider.Usage;
import dev.devloop.provider.domain.CacheMode;
import dev.devloop.provider.domain.CacheSettings;
import dev.devloop.provider.domain.ContextPrompt;
import dev.devloop.provider.domain.FinishReason;
import dev.devloop.provider.domain.PiiRedactor;
import dev.devloop.provider.domain.ProviderFailure;
import dev.devloop.provider.domain.RequestLimits;
import dev.devloop.provider.domain.Route;
import dev.devloop.provider.domain.SafetySettings;
import dev.devloop.provider.domain.TenantSettings;
import dev.devloop.provider.ports.in.GatewayRefusal;
import dev.devloop.provider.ports.in.GenerateUseCase;
import dev.devloop.provider.ports.in.GenerationStream;
import dev.devloop.provider.ports.in.ListProvidersUseCase;
import dev.devloop.provider.ports.in.ProviderView;
import dev.devloop.provider.ports.in.ResetCircuitUseCase;
import dev.devloop.provider.ports.out.ChatProviderPort;
import dev.devloop.provider.ports.out.GenerateCommand;
import dev.devloop.provider.ports.out.ProviderAnswer;
import dev.devloop.provider.ports.out.ProviderMetricsPort;
import dev.devloop.provider.ports.out.PublishUsagePort;
import dev.devloop.provider.ports.out.ResponseCachePort;
import dev.devloop.provider.ports.out.StreamListener;
import dev.devloop.provider.ports.out.UsageLedgerPort;
import io.quarkus.logging.Log;
import java.time.Clock;
import java.time.Duration;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.function.LongSupplier;

/**
 * The generate use case: validates a request, routes it ({@link ProviderRouter}: explicit provider,
 * {@code provider/model}, alias fallback chain, or the provider advertising the model), checks the tenant's budget,
 * screens and redacts, answers deterministic requests from the cache, and otherwise calls the provider through
 * {@link ProviderInvoker} (bulkhead, retries), falling back along the alias's chain on failures the next provider
 * may not have. Measures, prices and logs every call; {@link UsageRecorder} writes it to the ledger and the topic.
 */
public class GenerateService implements GenerateUseCase, ListProvidersUseCase, ResetCircuitUseCase {
    private final ProviderRouter router;
    private final ProviderInvoker invoker;
    private final UsageRecorder usage;
    private final RequestLimits limits;
    private final ProviderMetricsPort metrics;
    private final ResponseCachePort responses;
    private final CacheSettings cache;
    private final Clock clock;
    private final LongSupplier nanoClock;
    private final GatewayPolicies policies;
    private final Function<String, TenantSettings> tenantSettings;
    private final PromptSafety safety;

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
        this.invoker = new ProviderInvoker(router.names(), policies, metrics, clock);
        this.usage = new UsageRecorder(ledger, usageEvents, clock);
        this.limits = limits;
        this.metrics = metrics;
        this.responses = responses;
        this.cache = cache;
        this.clock = clock;
        this.nanoClock = nanoClock;
        this.policies = policies;
    }

    /** A validated call about to be made: the routes to try in order, and the alias they came from. */
    private record Call(
            GenerateCommand command,
            List<Route> routes,
            String alias,
            ContextPrompt context,
            long start,
            boolean redact,
            InjectionScreening screening) {}

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

    private GenerateResponse generate(Call call, CacheMode mode) {
        return answer(call, mode).withInjection(call.screening());
    }

    private GenerateResponse answer(Call call, CacheMode mode) {
        String tenant = call.command().tenant();
        Route first = call.routes().get(0);
        GenerateCommand firstCommand = commandFor(call, first);
        boolean candidate = mode != CacheMode.NO_STORE && (mode == CacheMode.FORCE || deterministic(call));
        // the tenant's runtime settings (PUT /v1/settings) decide: disabled → no lookup and no store
        TenantSettings settings = candidate ? tenantSettings.apply(tenant) : null;
        boolean cacheable = candidate && settings.cacheEnabled();
        String key = cacheable ? CacheKeys.of(firstCommand, first.model()) : null;
        if (cacheable && mode != CacheMode.REFRESH) {
            Optional<GenerateResponse> hit = responses.get(tenant, key);
            if (hit.isPresent()) {
                metrics.recordCache(first.provider(), first.model(), "hit");
                long latency =
                        Duration.ofNanos(nanoClock.getAsLong() - call.start()).toMillis();
                GenerateResponse h = hit.get();
                Log.infof(
                        "generate tenant=%s agent=%s provider=%s model=%s cached=true finish=%s toolCalls=%d latencyMs=%d",
                        tenant,
                        call.command().agentId(),
                        h.provider(),
                        h.model(),
                        h.finishReason(),
                        h.toolCalls() == null ? 0 : h.toolCalls().size(),
                        latency);
                // a hit repeats the original token counts but cost nothing: costUsd 0
                Usage hitUsage = (h.usage() == null ? Usage.NONE : h.usage()).withCost(0.0);
                // the stored entry may come from a call that was not redacted: redact its reasoning for this one
                GenerateResponse cached = new GenerateResponse(
                        h.text(),
                        h.toolCalls(),
                        hitUsage,
                        h.model(),
                        h.provider(),
                        h.finishReason(),
                        true,
                        latency,
                        reasoning(call, h.reasoning()));
                usage.record(call.command(), cached, false, null);
                return cached;
            }
            metrics.recordCache(first.provider(), first.model(), "miss");
        } else if (mode == CacheMode.REFRESH || mode == CacheMode.NO_STORE) {
            metrics.recordCache(first.provider(), first.model(), "bypass");
        }
        checkBudget(tenant);
        for (int i = 0; i < call.routes().size(); i++) {
            Route route = call.routes().get(i);
            ChatProviderPort provider = router.provider(route.provider());
            ProviderAnswer answer;
            try {
                if (!provider.configured()) {
                    throw ProviderFailure.of(
                            ProviderFailure.Kind.NOT_CONFIGURED, provider.name(), provider.notConfiguredDetail());
                }
                answer = invoker.chat(provider, commandFor(call, route), route.model());
            } catch (ProviderFailure failure) {
                failed(call, route, failure);
                if (i + 1 < call.routes().size() && failure.kind().fallsBack()) {
                    fallingBack(call, route, call.routes().get(i + 1), failure);
                    continue;
                }
                throw failure;
            }
            GenerateResponse response = succeeded(call, route, answer, false);
            if (cacheable
                    && settings.cacheTtl().toMillis() > 0
                    && (answer.finishReason() == FinishReason.STOP
                            || answer.finishReason() == FinishReason.TOOL_CALLS)) {
                responses.put(tenant, key, response, settings.cacheTtl());
            }
            return response;
        }
        throw new IllegalStateException("no route answered"); // unreachable: the last route throws
    }

    /** Temperature 0 makes a request deterministic enough to answer from the cache. */
    private static boolean deterministic(Call call) {
        Double t = call.command().options() == null
                ? null
                : call.command().options().temperature();
        return t != null && t == 0.0;
    }

    /** Refuses the request with 429 when the tenant has spent its monthly budget. */
    private void checkBudget(String tenant) {
        Double budget = policies.budgetOf(tenant);
        if (budget == null) {
            return;
        }
        YearMonth month = YearMonth.now(clock);
        double spent = policies.spend().spent(tenant, month.toString());
        if (spent >= budget) {
            metrics.recordBudgetRejection();
            Log.warnf("generate rejected tenant=%s reason=budget spent=%.4f budget=%.2f", tenant, spent, budget);
            throw new GatewayRefusal(
                    GatewayRefusal.Reason.BUDGET_EXCEEDED,
                    "budget-exceeded",
                    "Budget exceeded",
                    String.format(
                            Locale.ROOT,
                            "tenant '%s' has spent $%.4f of its monthly budget of $%.2f for %s; provider calls are refused until %s "
                                    + "unless the budget is raised (devloop.provider.budgets.tenants.\"%s\")",
                            tenant,
                            spent,
                            budget,
                            month,
                            month.plusMonths(1).atDay(1),
                            tenant),
                    null);
        }
    }

    @Override
    public void stream(String tenant, GenerateRequest request, GenerationStream stream) {
        stream(tenant, request, false, stream);
    }

    @Override
    public void stream(String tenant, GenerateRequest request, boolean redact, GenerationStream stream) {
        Call call = prepare(tenant, request, redact, null);
        checkBudget(tenant);
        stream.onScreened(call.screening());
        streamRoute(call, 0, stream);
    }

    /** Streams route {@code i}; a failure before the first token falls back to the next route when it may help. */
    private void streamRoute(Call call, int i, GenerationStream stream) {
        Route route = call.routes().get(i);
        ChatProviderPort provider = router.provider(route.provider());
        AtomicBoolean texted = new AtomicBoolean();
        AtomicReference<Runnable> release = new AtomicReference<>(() -> {}); // the bulkhead slot, once taken
        StreamListener listener = new StreamListener() {
            @Override
            public void onText(String delta) {
                texted.set(true);
                stream.onText(delta);
            }

            @Override
            public void onReasoning(String delta) {
                if (!call.redact()) { // a redacted call gets its reasoning whole, redacted, with the final response
                    texted.set(true);
                    stream.onReasoning(delta);
                }
            }

            @Override
            public void onComplete(ProviderAnswer answer) {
                release.get().run();
                stream.onComplete(succeeded(call, route, answer, true).withInjection(call.screening()));
            }

            @Override
            public void onError(ProviderFailure failure) {
                release.get().run();
                failed(call, route, failure);
                if (!texted.get()
                        && i + 1 < call.routes().size()
                        && failure.kind().fallsBack()) {
                    fallingBack(call, route, call.routes().get(i + 1), failure);
                    streamRoute(call, i + 1, stream);
                } else {
                    stream.onError(failure);
                }
            }
        };
        try {
            if (!provider.configured()) {
                throw ProviderFailure.of(
                        ProviderFailure.Kind.NOT_CONFIGURED, provider.name(), provider.notConfiguredDetail());
            }
            release.set(invoker.acquire(provider));
        } catch (ProviderFailure failure) {
            listener.onError(failure); // nothing acquired
            return;
        }
        provider.stream(commandFor(call, route), route.model(), listener);
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
                .orElseThrow(() -> new GatewayRefusal(
                        GatewayRefusal.Reason.NOT_FOUND,
                        "provider-not-found",
                        "Provider not found",
                        "no provider named " + name + "; known: " + router.names(),
                        "name"));
        String before = provider.circuitState();
        provider.resetCircuit();
        String after = provider.circuitState();
        metrics.recordCircuitReset(name);
        Log.infof("provider circuit reset provider=%s tenant=%s before=%s after=%s", name, tenant, before, after);
        return new CircuitReset(name, before, after);
    }

    /** The configured aliases and their chains, for {@code /v1/models}. */
    public Map<String, List<Route>> aliases() {
        return policies.aliases();
    }

    private Call prepare(String tenant, GenerateRequest request, boolean redact, ContextPrompt context) {
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
            command = command.withMessages(redact(command.messages()));
        }
        if (routes.size() == 1 && !provider.configured()) {
            metrics.recordCall(
                    provider.name(), model, outcome(ProviderFailure.Kind.NOT_CONFIGURED), Duration.ZERO, Usage.NONE);
            Log.warnf("generate rejected tenant=%s provider=%s reason=not-configured", tenant, provider.name());
            throw ProviderFailure.of(
                    ProviderFailure.Kind.NOT_CONFIGURED, provider.name(), provider.notConfiguredDetail());
        }
        ContextPrompt prompt = context == null ? null : (redacting ? redact(context) : context);
        return new Call(command, routes, alias, prompt, nanoClock.getAsLong(), redacting, screening);
    }

    /** The command as sent to {@code route}: its provider and model, and a context prompt rendered for it. */
    private static GenerateCommand commandFor(Call call, Route route) {
        GenerateCommand command = call.command().withRoute(route.provider(), route.model());
        if (call.context() != null) {
            List<ChatMessage> messages = new ArrayList<>();
            messages.add(new ChatMessage("system", call.context().system(route.provider()), null, null, null));
            messages.add(new ChatMessage("user", call.context().user(route.provider()), null, null, null));
            command = command.withMessages(messages);
        }
        return command;
    }

    private List<ChatMessage> redact(List<ChatMessage> messages) {
        List<ChatMessage> out = new ArrayList<>(messages.size());
        Map<String, Integer> total = new LinkedHashMap<>();
        for (ChatMessage m : messages) {
            String content = m.content();
            if (content != null) {
                PiiRedactor.Redaction r = PiiRedactor.redact(content);
                r.counts().forEach((k, v) -> total.merge(k, v, Integer::sum));
                content = r.text();
            }
            List<ToolCall> calls = m.toolCalls();
            if (calls != null && !calls.isEmpty()) {
                List<ToolCall> masked = new ArrayList<>(calls.size());
                for (ToolCall c : calls) {
                    masked.add(new ToolCall(c.id(), c.name(), redactJson(c.arguments(), total)));
                }
                calls = masked;
            }
            out.add(new ChatMessage(m.role(), content, calls, m.toolCallId(), m.name()));
        }
        total.forEach(metrics::recordRedactions);
        if (!total.isEmpty()) {
            Log.infof("pii redacted %s", total);
        }
        return out;
    }

    /** The string values of a tool call's arguments, masked (the JSON shape is kept). */
    private static com.fasterxml.jackson.databind.JsonNode redactJson(
            com.fasterxml.jackson.databind.JsonNode node, Map<String, Integer> total) {
        if (node == null) {
            return null;
        }
        if (node.isTextual()) {
            PiiRedactor.Redaction r = PiiRedactor.redact(node.asText());
            if (r.total() == 0) {
                return node;
            }
            r.counts().forEach((k, v) -> total.merge(k, v, Integer::sum));
            return com.fasterxml.jackson.databind.node.TextNode.valueOf(r.text());
        }
        if (node.isObject()) {
            com.fasterxml.jackson.databind.node.ObjectNode copy =
                    ((com.fasterxml.jackson.databind.node.ObjectNode) node).deepCopy();
            node.fieldNames().forEachRemaining(f -> copy.set(f, redactJson(node.get(f), total)));
            return copy;
        }
        if (node.isArray()) {
            com.fasterxml.jackson.databind.node.ArrayNode copy =
                    com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.arrayNode();
            node.forEach(e -> copy.add(redactJson(e, total)));
            return copy;
        }
        return node;
    }

    /** The reasoning as the caller gets it: PII-masked by the same rule as the request (header or tenant). */
    private String reasoning(Call call, String reasoning) {
        if (reasoning == null || !call.redact()) {
            return reasoning;
        }
        PiiRedactor.Redaction r = PiiRedactor.redact(reasoning);
        r.counts().forEach(metrics::recordRedactions);
        if (r.total() > 0) {
            Log.infof("pii redacted in reasoning %s", r.counts());
        }
        return r.text();
    }

    private ContextPrompt redact(ContextPrompt p) {
        List<ContextPrompt.Document> docs = new ArrayList<>();
        for (ContextPrompt.Document d : p.documents()) {
            PiiRedactor.Redaction r = PiiRedactor.redact(d.content());
            r.counts().forEach(metrics::recordRedactions);
            docs.add(new ContextPrompt.Document(d.source(), r.text()));
        }
        PiiRedactor.Redaction q = PiiRedactor.redact(p.question());
        q.counts().forEach(metrics::recordRedactions);
        return new ContextPrompt(p.instructions(), docs, q.text());
    }

    private void fallingBack(Call call, Route from, Route to, ProviderFailure failure) {
        metrics.recordFallback(
                call.alias() == null ? "" : call.alias(), from.provider(), to.provider(), outcome(failure.kind()));
        Log.warnf(
                "falling back tenant=%s alias=%s from=%s to=%s kind=%s",
                call.command().tenant(), call.alias(), from, to, failure.kind());
    }

    private void failed(Call call, Route route, ProviderFailure failure) {
        Duration elapsed = Duration.ofNanos(nanoClock.getAsLong() - call.start());
        metrics.recordCall(route.provider(), route.model(), outcome(failure.kind()), elapsed, Usage.NONE);
        Log.warnf(
                "generate failed tenant=%s provider=%s model=%s kind=%s latencyMs=%d detail=%s",
                call.command().tenant(),
                route.provider(),
                route.model(),
                failure.kind(),
                elapsed.toMillis(),
                failure.getMessage());
    }

    private GenerateResponse succeeded(Call call, Route route, ProviderAnswer answer, boolean streamed) {
        Duration elapsed = Duration.ofNanos(nanoClock.getAsLong() - call.start());
        String provider = route.provider();
        String model = answer.model() != null ? answer.model() : route.model();
        GenerateCommand command = call.command();
        metrics.recordCall(provider, model, "success", elapsed, answer.usage());
        Double cost = policies.prices()
                .cost(
                        provider,
                        model,
                        answer.usage().inputTokens(),
                        answer.usage().outputTokens())
                .or(() -> policies.prices()
                        .cost(
                                provider,
                                route.model(),
                                answer.usage().inputTokens(),
                                answer.usage().outputTokens()))
                .orElse(null);
        if (cost != null) {
            metrics.recordCost(provider, model, cost);
            // a tenant with a budget needs the sum before its next call is checked; the others need not wait for Redis
            if (policies.budgetOf(command.tenant()) != null) {
                policies.spend().add(command.tenant(), YearMonth.now(clock).toString(), cost);
            } else {
                policies.spend().addLater(command.tenant(), YearMonth.now(clock).toString(), cost);
            }
        }
        Log.infof(
                "generate tenant=%s agent=%s provider=%s model=%s streamed=%s messages=%d tools=%d finish=%s toolCalls=%d tokensIn=%d tokensOut=%d costUsd=%s latencyMs=%d",
                command.tenant(),
                command.agentId(),
                provider,
                model,
                streamed,
                command.messages().size(),
                command.tools().size(),
                answer.finishReason().wire(),
                answer.toolCalls().size(),
                answer.usage().inputTokens(),
                answer.usage().outputTokens(),
                cost,
                elapsed.toMillis());
        GenerateResponse response = new GenerateResponse(
                answer.text(),
                answer.toolCalls(),
                answer.usage().withCost(cost),
                model,
                provider,
                answer.finishReason().wire(),
                false,
                elapsed.toMillis(),
                reasoning(call, answer.reasoning()));
        usage.record(command, response, streamed, cost);
        return response;
    }

    private static String outcome(ProviderFailure.Kind kind) {
        return kind.name().toLowerCase(Locale.ROOT);
    }
}
