package dev.devloop.provider.adapters.out.langchain.gemini;

import dev.devloop.provider.config.ProviderConfig;
import io.smallrye.faulttolerance.api.CircuitBreakerMaintenance;
import jakarta.inject.Singleton;
import java.util.List;
import org.eclipse.microprofile.config.Config;

/**
 * Google Gemini (the Gemini API: {@code generateContent}, {@code streamGenerateContent?alt=sse},
 * {@code x-goog-api-key}) through LangChain4j's Google AI Gemini chat model over the gateway's JDK
 * HTTP client, built lazily.
 */
@Singleton
public class GeminiChatProvider extends GeminiFormatChatProvider {
    public static final String NAME = "gemini";
    public static final String KEY_SETTING = "DEVLOOP_GEMINI_API_KEY";
    public static final String DEFAULT_BASE_URL = "https://generativelanguage.googleapis.com/v1beta";

    public GeminiChatProvider(
            ProviderConfig config, GeminiCalls calls, CircuitBreakerMaintenance circuits, Config mpConfig) {
        super(
                NAME,
                circuits,
                mpConfig,
                GeminiCalls.class,
                GeminiCalls.CIRCUIT_DELAY_SECONDS,
                endpoint(config.gemini()),
                KEY_SETTING,
                calls,
                config.gemini().thinking());
    }

    @Override
    public boolean configured() {
        return endpoint().apiKey().isPresent();
    }

    @Override
    public String notConfiguredDetail() {
        return "provider gemini is not configured: set DEVLOOP_GEMINI_API_KEY (devloop.provider.gemini.api-key)";
    }

    @Override
    protected String modelsBaseUrl() {
        return endpoint().baseUrl().orElse(DEFAULT_BASE_URL);
    }

    @Override
    protected String apiKey() {
        return endpoint().apiKey().orElseThrow();
    }

    private static Endpoint endpoint(ProviderConfig.Gemini c) {
        return new Endpoint(
                c.apiKey(), c.baseUrl(), c.model(), c.models().orElse(List.of()), c.timeout(), c.logBodies());
    }
}
