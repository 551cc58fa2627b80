package dev.devloop.provider.application;

import dev.devloop.contracts.problem.Refusal;
import dev.devloop.contracts.provider.GenerateRequest;
import dev.devloop.provider.domain.Route;
import dev.devloop.provider.ports.out.ChatProviderPort;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Which provider (built-in or named instance) and model a generate request goes to: an alias's fallback chain, the
 * provider advertising the model, the model family, or — for an unknown bare model — 400 {@code model-not-found}
 * (unless unknown models go to the default provider). An explicit provider and {@code provider/model} are resolved
 * by {@link GenerateRequestValidation}.
 */
final class ProviderRouter {
    /** A request as routed (provider and model set when an alias or the model chose them) and its alias chain. */
    record Routed(GenerateRequest request, List<Route> chain, String alias) {}

    private final Map<String, ChatProviderPort> providers;
    private final List<ChatProviderPort> ordered;
    private final String defaultProvider;
    private final Map<String, List<Route>> aliases;
    private final boolean rejectUnknownModels;

    /** Fails when the default provider or an alias's route names a provider that does not exist. */
    ProviderRouter(
            List<ChatProviderPort> providers,
            String defaultProvider,
            Map<String, List<Route>> aliases,
            boolean rejectUnknownModels) {
        Map<String, ChatProviderPort> byName = new LinkedHashMap<>();
        for (ChatProviderPort p : providers) {
            byName.put(p.name(), p);
        }
        if (!byName.containsKey(defaultProvider)) {
            throw new IllegalArgumentException(
                    "default provider '" + defaultProvider + "' is not one of " + byName.keySet());
        }
        for (Map.Entry<String, List<Route>> alias : aliases.entrySet()) {
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
        this.aliases = aliases;
        this.rejectUnknownModels = rejectUnknownModels;
    }

    /** The providers in their configured order. */
    List<ChatProviderPort> ordered() {
        return ordered;
    }

    /** The provider of that name, or null. */
    ChatProviderPort provider(String name) {
        return providers.get(name);
    }

    Set<String> names() {
        return providers.keySet();
    }

    String defaultProvider() {
        return defaultProvider;
    }

    /** Routes a request that names a model but no provider; others pass unchanged. */
    Routed route(GenerateRequest request) {
        if (request == null || request.provider() != null || request.model() == null) {
            return new Routed(request, null, null);
        }
        List<Route> chain = aliases.get(request.model());
        if (chain != null) {
            return new Routed(
                    withRoute(request, chain.get(0).provider(), chain.get(0).model()), chain, request.model());
        }
        String inferred = inferProvider(request.model());
        if (inferred != null) {
            return new Routed(withRoute(request, inferred, request.model()), null, null);
        }
        if (rejectUnknownModels && !hasProviderPrefix(request.model())) {
            throw modelNotFound(request.model());
        }
        return new Routed(request, null, null);
    }

    /** True for {@code provider/model} with a known provider (the provider then decides about the model). */
    private boolean hasProviderPrefix(String model) {
        int slash = model.indexOf('/');
        return slash > 0 && providers.containsKey(model.substring(0, slash).toLowerCase(Locale.ROOT));
    }

    /** 400 naming an unknown model or alias, with what is known (bounded). */
    private Refusal modelNotFound(String model) {
        List<String> known = new ArrayList<>(aliases.keySet());
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
        return new Refusal(Refusal.Reason.INVALID, "model-not-found", "Model not found", detail, "model");
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
}
