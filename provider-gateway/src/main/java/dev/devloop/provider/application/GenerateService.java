package dev.devloop.provider.application;

import dev.devloop.contracts.problem.Problem;
import dev.devloop.contracts.problem.ProblemException;
import dev.devloop.contracts.provider.ChatMessage;
import dev.devloop.contracts.provider.GenerateRequest;
import dev.devloop.contracts.provider.GenerateResponse;
import dev.devloop.contracts.provider.InjectionScreening;
import dev.devloop.contracts.provider.ToolCall;
import dev.devloop.contracts.provider.Usage;
import dev.devloop.provider.domain.BulkheadLimit;
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
import dev.devloop.provider.domain.UsageRecord;
import dev.devloop.provider.ports.in.GenerateUseCase;
import dev.devloop.provider.ports.in.GenerationStream;
import dev.devloop.provider.ports.in.ListProvidersUseCase;
import dev.devloop.provider.ports.in.ProviderView;
import dev.devloop.provider.ports.out.ChatProviderPort;
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
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.function.LongSupplier;

/**
 * Validates a generate request, routes it (explicit provider, {@code provider/model}, alias
 * fallback chain, or the provider advertising the model), checks the tenant's budget, redacts
 * PII when asked, answers deterministic requests from the cache, and otherwise calls the
 * provider with retries and a bulkhead, falling back along the alias's chain on failures the
 * next provider may not have. Measures, prices and logs every call.
 */
public class GenerateService implements GenerateUseCase, ListProvidersUseCase {
    private final Map<String, ChatProviderPort> providers;
    private final List<ChatProviderPort> ordered;
    private final String defaultProvider;
    private final RequestLimits limits;
    private final ProviderMetricsPort metrics;
    private final ResponseCachePort responses;
    private final CacheSettings cache;
    private final UsageLedgerPort ledger;
    private final PublishUsagePort usageEvents;
    private final Clock clock;
    private final LongSupplier nanoClock;
    private final GatewayPolicies policies;
    private final Map<String, Semaphore> bulkheads = new HashMap<>();
    private final Map<String, BulkheadLimit> bulkheadLimits = new HashMap<>();
    private final Function<String, TenantSettings> tenantSettings;
    private final PromptSafety safety;
    private final boolean rejectUnknownModels;

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
        this.rejectUnknownModels = rejectUnknownModels;
        Map<String, ChatProviderPort> byName = new LinkedHashMap<>();
        for (ChatProviderPort p : providers) {
            byName.put(p.name(), p);
        }
        if (!byName.containsKey(defaultProvider)) {
            throw new IllegalArgumentException(
                    "default provider '" + defaultProvider + "' is not one of " + byName.keySet());
        }
        for (Map.Entry<String, List<Route>> alias : policies.aliases().entrySet()) {
            if (alias.getValue().isEmpty()) {
                throw new IllegalArgumentException("alias '" + alias.getKey() + "' has no routes");
            }
            for (Route r : alias.getValue()) {
                if (!byName.containsKey(r.provider())) {
                    throw new IllegalArgumentException("alias '" + alias.getKey() + "' routes to unknown provider '"
                            + r.provider() + "'; known: " + byName.keySet());
                }
            }
        }
        this.providers = Map.copyOf(byName);
        this.ordered = List.copyOf(byName.values());
        this.defaultProvider = defaultProvider;
        this.limits = limits;
        this.metrics = metrics;
        this.responses = responses;
        this.cache = cache;
        this.ledger = ledger;
        this.usageEvents = usageEvents;
        this.clock = clock;
        this.nanoClock = nanoClock;
        this.policies = policies;
        for (String name : java.util.stream.Stream.concat(
                        policies.bulkheads().keySet().stream(), policies.retries().keySet().stream())
                .toList()) {
            if (!byName.containsKey(name)) {
                throw new IllegalArgumentException("a bulkhead or retry policy is configured for unknown provider '"
                        + name + "'; known: " + byName.keySet());
            }
        }
        for (String name : byName.keySet()) {
            BulkheadLimit limit = policies.bulkheadOf(name);
            bulkheadLimits.put(name, limit);
            bulkheads.put(name, new Semaphore(limit.maxConcurrent(), true));
        }
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
                recordUsage(call.command(), cached, false, null);
                return cached;
            }
            metrics.recordCache(first.provider(), first.model(), "miss");
        } else if (mode == CacheMode.REFRESH || mode == CacheMode.NO_STORE) {
            metrics.recordCache(first.provider(), first.model(), "bypass");
        }
        checkBudget(tenant);
        for (int i = 0; i < call.routes().size(); i++) {
            Route route = call.routes().get(i);
            ChatProviderPort provider = providers.get(route.provider());
            ProviderAnswer answer;
            try {
                if (!provider.configured()) {
                    throw ProviderFailure.of(
                            ProviderFailure.Kind.NOT_CONFIGURED, provider.name(), provider.notConfiguredDetail());
                }
                answer = withRetries(provider, commandFor(call, route), route.model());
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

    /** Calls the provider through its bulkhead, retrying retryable failures as the retry policy says. */
    private ProviderAnswer withRetries(ChatProviderPort provider, GenerateCommand command, String model) {
        for (int attempt = 0; ; attempt++) {
            try {
                return throughBulkhead(provider, () -> provider.chat(command, model));
            } catch (ProviderFailure failure) {
                Optional<Duration> delay = policies.retryOf(provider.name())
                        .delay(attempt, failure, policies.random().getAsDouble(), clock.instant());
                if (delay.isEmpty()) {
                    throw failure;
                }
                metrics.recordRetry(provider.name(), outcome(failure.kind()));
                Log.infof(
                        "retrying tenant=%s provider=%s model=%s kind=%s attempt=%d delayMs=%d",
                        command.tenant(),
                        provider.name(),
                        model,
                        failure.kind(),
                        attempt + 1,
                        delay.get().toMillis());
                try {
                    policies.sleeper().sleep(delay.get());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw failure;
                }
            }
        }
    }

    private interface ProviderCall {
        ProviderAnswer call();
    }

    private ProviderAnswer throughBulkhead(ChatProviderPort provider, ProviderCall call) {
        Semaphore permits = bulkheads.get(provider.name());
        acquire(provider, permits);
        try {
            return call.call();
        } finally {
            permits.release();
        }
    }

    private void acquire(ChatProviderPort provider, Semaphore permits) {
        BulkheadLimit limit = bulkheadLimits.get(provider.name());
        boolean acquired;
        try {
            acquired = permits.tryAcquire(limit.maxWait().toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            acquired = false;
        }
        if (!acquired) {
            metrics.recordBulkheadRejection(provider.name());
            throw new ProviderFailure(
                    ProviderFailure.Kind.BULKHEAD_FULL,
                    provider.name(),
                    "provider " + provider.name() + " already has " + limit.maxConcurrent() + " calls in flight ("
                            + limit.setting() + "); try again shortly",
                    "1",
                    null);
        }
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
            throw new ProblemException(Problem.of(
                    429,
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
                            tenant)));
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
        ChatProviderPort provider = providers.get(route.provider());
        Semaphore permits = bulkheads.get(provider.name());
        AtomicBoolean texted = new AtomicBoolean();
        AtomicBoolean released = new AtomicBoolean();
        Runnable release = () -> {
            if (released.compareAndSet(false, true)) {
                permits.release();
            }
        };
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
                release.run();
                stream.onComplete(succeeded(call, route, answer, true).withInjection(call.screening()));
            }

            @Override
            public void onError(ProviderFailure failure) {
                release.run();
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
            acquire(provider, permits);
        } catch (ProviderFailure failure) {
            released.set(true); // nothing acquired
            listener.onError(failure);
            return;
        }
        provider.stream(commandFor(call, route), route.model(), listener);
    }

    @Override
    public List<ProviderView> providers() {
        List<ProviderView> views = new ArrayList<>();
        for (ChatProviderPort p : ordered) {
            BulkheadLimit limit = bulkheadLimits.get(p.name());
            ProviderView.Bulkhead bulkhead = new ProviderView.Bulkhead(
                    limit.maxConcurrent(),
                    limit.maxWait().toMillis(),
                    limit.maxConcurrent() - bulkheads.get(p.name()).availablePermits());
            views.add(new ProviderView(
                    p.name(),
                    p.configured(),
                    p.name().equals(defaultProvider),
                    p.defaultModel(),
                    p.models(),
                    p.circuitState(),
                    bulkhead));
        }
        return views;
    }

    /** The configured aliases and their chains, for {@code /v1/models}. */
    public Map<String, List<Route>> aliases() {
        return policies.aliases();
    }

    private Call prepare(String tenant, GenerateRequest request, boolean redact, ContextPrompt context) {
        String alias = null;
        List<Route> routes = null;
        GenerateRequest routed = request;
        if (request != null && request.provider() == null && request.model() != null) {
            List<Route> chain = policies.aliases().get(request.model());
            if (chain != null) {
                alias = request.model();
                routes = chain;
                routed =
                        withRoute(request, chain.get(0).provider(), chain.get(0).model());
            } else {
                String inferred = inferProvider(request.model());
                if (inferred != null) {
                    routed = withRoute(request, inferred, request.model());
                } else if (rejectUnknownModels && !hasProviderPrefix(request.model())) {
                    throw modelNotFound(request.model());
                }
            }
        }
        GenerateCommand command = GenerateCommand.validate(tenant, routed, limits, providers.keySet(), defaultProvider);
        ChatProviderPort provider = providers.get(command.provider());
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

    /** True for {@code provider/model} with a known provider (the provider then decides about the model). */
    private boolean hasProviderPrefix(String model) {
        int slash = model.indexOf('/');
        return slash > 0 && providers.containsKey(model.substring(0, slash).toLowerCase(Locale.ROOT));
    }

    /** 400 naming an unknown model or alias, with what is known (bounded). */
    private ProblemException modelNotFound(String model) {
        List<String> known = new ArrayList<>(policies.aliases().keySet());
        for (ChatProviderPort p : ordered) {
            if (p.configured()) {
                p.models().forEach(m -> known.add(p.name() + "/" + m));
            }
        }
        String shown = model.length() > 200 ? model.substring(0, 200) + "…" : model;
        String list = known.size() > 50 ? String.join(", ", known.subList(0, 50)) + ", …" : String.join(", ", known);
        String detail =
                "unknown model or alias '" + shown + "': it is no alias, no provider advertises it and it is not "
                        + "written provider/model; known: " + list;
        return new ProblemException(new Problem(
                Problem.TYPE_BASE + "model-not-found",
                "Model not found",
                400,
                detail,
                null,
                "model",
                List.of(new Problem.FieldError("model", detail))));
    }

    private static GenerateRequest withRoute(GenerateRequest r, String provider, String model) {
        return new GenerateRequest(provider, model, r.messages(), r.tools(), r.options(), r.agentId());
    }

    /**
     * The provider a bare model name belongs to: the one advertising it, else by family name
     * ({@code claude*} → anthropic, {@code gemini*} → gemini, {@code gpt-*}/{@code o1..o4} → openai);
     * null leaves it to the default provider (and to {@code provider/model} prefixes).
     */
    private String inferProvider(String model) {
        int slash = model.indexOf('/');
        if (slash > 0 && providers.containsKey(model.substring(0, slash).toLowerCase(Locale.ROOT))) {
            return null;
        }
        for (ChatProviderPort p : ordered) {
            if (p.models().contains(model)) {
                return p.name();
            }
        }
        String m = model.toLowerCase(Locale.ROOT);
        String family = m.startsWith("claude")
                ? "anthropic"
                : m.startsWith("gemini")
                        ? "gemini"
                        : m.startsWith("gpt-") || m.matches("o[1-4](-.*)?") ? "openai" : null;
        return family != null && providers.containsKey(family) ? family : null;
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
        recordUsage(command, response, streamed, cost);
        return response;
    }

    /** Writes the call to the ledger and the usage topic; neither may fail the call. */
    private void recordUsage(GenerateCommand command, GenerateResponse r, boolean streamed, Double cost) {
        Usage u = r.usage() == null ? Usage.NONE : r.usage();
        UsageRecord record = new UsageRecord(
                callId(),
                command.tenant(),
                command.agentId(),
                r.provider(),
                r.model(),
                r.cached() ? 0 : u.inputTokens(),
                r.cached() ? 0 : u.outputTokens(),
                r.cached() ? 0 : u.totalTokens(),
                r.cached(),
                streamed,
                r.finishReason(),
                r.latencyMs(),
                clock.instant(),
                r.cached() ? Double.valueOf(0) : cost);
        try {
            ledger.record(record);
        } catch (RuntimeException e) {
            Log.warnf(
                    "usage ledger write failed tenant=%s error=%s",
                    command.tenant(), e.getClass().getSimpleName());
        }
        try {
            usageEvents.publish(record);
        } catch (RuntimeException e) {
            Log.warnf(
                    "usage event failed tenant=%s error=%s",
                    command.tenant(), e.getClass().getSimpleName());
        }
    }

    /**
     * A random (version 4 layout) UUID for the usage record: unique, not secret, so from ThreadLocalRandom rather than
     * {@link UUID#randomUUID()}'s SecureRandom, whose lock every worker thread contended for once per call.
     */
    static String callId() {
        java.util.concurrent.ThreadLocalRandom random = java.util.concurrent.ThreadLocalRandom.current();
        long most = (random.nextLong() & ~0xF000L) | 0x4000L;
        long least = (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
        return new UUID(most, least).toString();
    }

    private static String outcome(ProviderFailure.Kind kind) {
        return kind.name().toLowerCase(Locale.ROOT);
    }
}
