package dev.devloop.provider.adapters.out.langchain.vertex;

import dev.devloop.provider.adapters.out.langchain.JdkHttpClient;
import dev.devloop.provider.adapters.out.langchain.gemini.GeminiFormatChatProvider;
import dev.devloop.provider.config.ProviderConfig;
import dev.devloop.provider.domain.ProviderFailure;
import io.smallrye.faulttolerance.api.CircuitBreakerMaintenance;
import jakarta.inject.Singleton;
import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.eclipse.microprofile.config.Config;

/**
 * Gemini on Google Cloud Vertex AI over REST. Vertex's {@code generateContent} and
 * {@code streamGenerateContent?alt=sse} bodies are the Gemini API's wire format; only the URL
 * ({@code /v1/projects/{p}/locations/{l}/publishers/google/models/{m}:generateContent}) and the
 * auth (an OAuth2 {@code Authorization: Bearer} token instead of {@code x-goog-api-key}) differ. So
 * the provider reuses LangChain4j's Gemini API model with a base URL ending in
 * {@code /publishers/google} and the gateway's JDK HTTP client rewriting the auth header.
 * (LangChain4j's {@code langchain4j-vertex-ai-gemini} builds Google's gRPC-only Vertex SDK client;
 * see the README for why it is not used.)
 */
@Singleton
public class VertexChatProvider extends GeminiFormatChatProvider {
    public static final String NAME = "vertex";
    public static final String KEY_SETTING =
            "DEVLOOP_VERTEX_ACCESS_TOKEN (devloop.provider.vertex.access-token) or GOOGLE_APPLICATION_CREDENTIALS "
                    + "(devloop.provider.vertex.credentials-file)";
    /** The Gemini API key header LangChain4j sends; Vertex wants a bearer token instead. */
    static final String API_KEY_HEADER = "x-goog-api-key";

    private final Optional<String> project;
    private final String location;
    private final Optional<VertexAccessTokens> tokens;

    public VertexChatProvider(
            ProviderConfig config, VertexCalls calls, CircuitBreakerMaintenance circuits, Config mpConfig) {
        super(
                NAME,
                circuits,
                mpConfig,
                VertexCalls.class,
                VertexCalls.CIRCUIT_DELAY_SECONDS,
                new Endpoint(
                        Optional.empty(),
                        config.vertex().baseUrl(),
                        config.vertex().model(),
                        config.vertex().models().orElse(List.of()),
                        config.vertex().timeout(),
                        config.vertex().logBodies()),
                KEY_SETTING,
                calls,
                config.vertex().thinking());
        ProviderConfig.Vertex c = config.vertex();
        this.project = c.project().filter(p -> !p.isBlank());
        this.location = c.location();
        Optional<String> token = c.accessToken().filter(t -> !t.isBlank());
        Optional<String> file = c.credentialsFile().filter(f -> !f.isBlank());
        this.tokens = token.map(VertexAccessTokens::fixed)
                .or(() -> file.map(f -> VertexAccessTokens.fromFile(Path.of(f), Clock.systemUTC())));
    }

    @Override
    public boolean configured() {
        return project.isPresent() && tokens.isPresent();
    }

    @Override
    public String notConfiguredDetail() {
        if (project.isEmpty()) {
            return "provider vertex is not configured: set DEVLOOP_VERTEX_PROJECT (devloop.provider.vertex.project) and "
                    + KEY_SETTING;
        }
        return "provider vertex is not configured: set " + KEY_SETTING;
    }

    /** The API root: the configured base URL, else the regional Vertex AI endpoint. */
    String apiRoot() {
        return endpoint()
                .baseUrl()
                .orElseGet(() -> "global".equals(location)
                        ? "https://aiplatform.googleapis.com/v1"
                        : "https://" + location + "-aiplatform.googleapis.com/v1");
    }

    /** What LangChain4j's Gemini model appends {@code /models/{m}:generateContent} to. */
    @Override
    protected String modelsBaseUrl() {
        return apiRoot() + "/projects/" + project.orElseThrow() + "/locations/" + location + "/publishers/google";
    }

    /** The calls go over the gateway's LangChain4j HttpClient (JdkHttpClient says why), tokens over google-auth's. */
    @Override
    protected JdkHttpClient.Builder http() {
        VertexAccessTokens source = tokens.orElseThrow();
        return JdkHttpClient.builder().headers(headers -> {
            Map<String, List<String>> out = new LinkedHashMap<>();
            headers.forEach((k, v) -> {
                if (!API_KEY_HEADER.equalsIgnoreCase(k)) {
                    out.put(k, v);
                }
            });
            String token;
            try {
                token = source.token();
            } catch (IllegalStateException e) { // an unreadable or unusable credentials file: a setting to fix
                throw new ProviderFailure(ProviderFailure.Kind.NOT_CONFIGURED, NAME, e.getMessage(), null, e);
            }
            out.put("Authorization", List.of("Bearer " + token));
            return out;
        });
    }

    @Override
    protected String apiKey() {
        return "unused"; // http() replaces the header with the bearer token
    }
}
