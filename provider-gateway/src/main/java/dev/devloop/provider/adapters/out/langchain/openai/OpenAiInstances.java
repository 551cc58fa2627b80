package dev.devloop.provider.adapters.out.langchain.openai;

import dev.devloop.provider.adapters.out.langchain.InstanceGuardedChat;
import dev.devloop.provider.adapters.out.langchain.LangChainChatProvider;
import dev.devloop.provider.config.ProviderConfig;
import dev.devloop.provider.ports.out.ChatProviderPort;
import io.smallrye.faulttolerance.api.CircuitBreakerMaintenance;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The named provider instances of {@code devloop.provider.instances.<name>.*}: each an
 * OpenAI-compatible server with its own provider name (routing, {@code name/model} prefixes,
 * advertised models), its own circuit breaker (named like the instance) and, through the
 * application layer, its own retries and bulkhead. Built once at startup; a bad declaration
 * (unknown type, a name taken by a built-in provider, no models) fails startup naming the key.
 */
@Singleton
public class OpenAiInstances {
    public static final String TYPE_OPENAI_COMPATIBLE = "openai-compatible";
    /** Names the built-in providers own (and their circuits). */
    public static final Set<String> RESERVED = Set.of("openai", "anthropic", "gemini", "vertex", "local");

    private final List<ChatProviderPort> providers;

    public OpenAiInstances(ProviderConfig config, CircuitBreakerMaintenance circuits) {
        List<ChatProviderPort> built = new ArrayList<>();
        for (Map.Entry<String, ProviderConfig.ProviderInstance> e : new TreeMap<>(config.instances()).entrySet()) {
            built.add(build(e.getKey(), e.getValue(), circuits));
        }
        this.providers = List.copyOf(built);
    }

    /** The instances, by name. */
    public List<ChatProviderPort> providers() {
        return providers;
    }

    static ChatProviderPort build(String name, ProviderConfig.ProviderInstance c, CircuitBreakerMaintenance circuits) {
        String prefix = "devloop.provider.instances." + name + ".";
        if (!name.matches("[a-z0-9][a-z0-9_-]*")) {
            throw new IllegalArgumentException("provider instance name '" + name
                    + "' must be lower-case letters, digits, '-' or '_' (it is the provider name requests use)");
        }
        if (RESERVED.contains(name)) {
            throw new IllegalArgumentException("provider instance name '" + name + "' is taken by a built-in provider; "
                    + "choose another name under devloop.provider.instances");
        }
        if (!TYPE_OPENAI_COMPATIBLE.equals(c.type())) {
            throw new IllegalArgumentException(
                    prefix + "type is '" + c.type() + "'; supported: " + TYPE_OPENAI_COMPATIBLE);
        }
        List<String> models = c.models().orElse(List.of());
        String defaultModel =
                c.defaultModel().filter(m -> !m.isBlank()).orElseGet(() -> models.isEmpty() ? null : models.get(0));
        if (defaultModel == null) {
            throw new IllegalArgumentException("provider instance '" + name + "' names no model: set " + prefix
                    + "default-model or " + prefix + "models");
        }
        LangChainChatProvider.Endpoint endpoint = new LangChainChatProvider.Endpoint(
                c.apiKey(), c.baseUrl(), defaultModel, models, c.timeout(), c.logBodies());
        String keySetting = prefix + "api-key";
        ProviderConfig.InstanceCircuitBreaker cb = c.circuitBreaker();
        InstanceGuardedChat guard = new InstanceGuardedChat(
                name, keySetting, cb.requestVolumeThreshold(), cb.failureRatio(), cb.delay(), cb.successThreshold());
        return new OpenAiCompatibleChatProvider(
                name,
                endpoint,
                guard,
                circuits,
                cb.delay(),
                keySetting,
                endpoint.baseUrl().isPresent(),
                "provider " + name + " is not configured: set " + prefix
                        + "base-url (the OpenAI-compatible server's URL)");
    }
}
