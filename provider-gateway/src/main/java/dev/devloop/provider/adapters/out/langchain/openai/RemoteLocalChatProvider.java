package dev.devloop.provider.adapters.out.langchain.openai;

import dev.devloop.provider.adapters.out.langchain.InstanceGuardedChat;
import dev.devloop.provider.adapters.out.langchain.LangChainChatProvider;
import dev.devloop.provider.config.InProcessModels;
import dev.devloop.provider.config.ProviderConfig;
import io.quarkus.arc.properties.IfBuildProperty;
import io.smallrye.faulttolerance.api.CircuitBreakerMaintenance;
import jakarta.inject.Singleton;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The {@code local} chat provider of a build without in-process models (the native image, {@link InProcessModels}):
 * instead of loading the GGUF file through llama.cpp's JNI library, it calls an OpenAI-compatible server that runs
 * it (llama.cpp's {@code llama-server}, Ollama, …) at {@code devloop.provider.local.base-url}. Same name, model
 * name and routing as the in-process provider; its own circuit {@code local} with the named instances' defaults.
 */
@Singleton
@IfBuildProperty(name = InProcessModels.BUILD_PROPERTY, stringValue = "false")
public class RemoteLocalChatProvider extends OpenAiCompatibleChatProvider {
    public static final String NAME = "local";
    static final String URL_SETTING = "DEVLOOP_LOCAL_BASE_URL";
    private static final Duration CIRCUIT_DELAY = Duration.ofSeconds(30);

    public RemoteLocalChatProvider(ProviderConfig config, CircuitBreakerMaintenance circuits) {
        super(
                NAME,
                endpoint(config.local()),
                new InstanceGuardedChat(NAME, URL_SETTING, 20, 0.5, CIRCUIT_DELAY, 2),
                circuits,
                CIRCUIT_DELAY,
                URL_SETTING,
                baseUrl(config.local()).isPresent(),
                "provider local is not configured: this native image runs no model in-process; set " + URL_SETTING
                        + " (devloop.provider.local.base-url) to an OpenAI-compatible server running the model,"
                        + " e.g. llama.cpp's llama-server");
    }

    private static Optional<String> baseUrl(ProviderConfig.Local c) {
        return c.baseUrl().filter(u -> !u.isBlank());
    }

    /** The model name the in-process provider would use: the configured one, else the GGUF file's name. */
    static String modelName(ProviderConfig.Local c) {
        return c.model().orElseGet(() -> c.modelPath()
                .filter(p -> !p.isBlank())
                .map(p -> Path.of(p).getFileName().toString().replaceFirst("(?i)\\.gguf$", ""))
                .orElse(NAME));
    }

    private static LangChainChatProvider.Endpoint endpoint(ProviderConfig.Local c) {
        String model = modelName(c);
        return new LangChainChatProvider.Endpoint(
                Optional.empty(), baseUrl(c), model, List.of(model), c.timeout(), false);
    }
}
