package dev.devloop.provider.adapters.out.langchain.openai;

import dev.devloop.provider.adapters.out.langchain.LangChainChatProvider;
import dev.devloop.provider.config.ProviderConfig;
import io.smallrye.faulttolerance.api.CircuitBreakerMaintenance;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.List;
import org.eclipse.microprofile.config.Config;

/**
 * The built-in {@code openai} provider: OpenAI, or one OpenAI-compatible server by base URL
 * ({@code devloop.provider.openai.*}); further servers are named instances
 * ({@code devloop.provider.instances.*}, {@link OpenAiInstances}).
 */
@Singleton
public class OpenAiChatProvider extends OpenAiCompatibleChatProvider {
    public static final String NAME = "openai";
    public static final String KEY_SETTING = "DEVLOOP_OPENAI_API_KEY";

    @Inject
    public OpenAiChatProvider(
            ProviderConfig config, OpenAiCalls calls, CircuitBreakerMaintenance circuits, Config mpConfig) {
        this(endpoint(config.openai()), calls, circuits, mpConfig);
    }

    private OpenAiChatProvider(
            LangChainChatProvider.Endpoint endpoint,
            OpenAiCalls calls,
            CircuitBreakerMaintenance circuits,
            Config mpConfig) {
        super(
                NAME,
                endpoint,
                calls,
                circuits,
                LangChainChatProvider.circuitDelaySeconds(
                        mpConfig, OpenAiCalls.class, OpenAiCalls.CIRCUIT_DELAY_SECONDS),
                KEY_SETTING,
                endpoint.apiKey().isPresent()
                        || endpoint.baseUrl()
                                .filter(u -> !u.equals(DEFAULT_BASE_URL))
                                .isPresent(),
                "provider openai is not configured: set DEVLOOP_OPENAI_API_KEY (devloop.provider.openai.api-key), "
                        + "or DEVLOOP_OPENAI_BASE_URL (devloop.provider.openai.base-url) for an OpenAI-compatible server");
    }

    private static LangChainChatProvider.Endpoint endpoint(ProviderConfig.OpenAi c) {
        return new LangChainChatProvider.Endpoint(
                c.apiKey(), c.baseUrl(), c.model(), c.models().orElse(List.of()), c.timeout(), c.logBodies());
    }
}
