package dev.devloop.provider.adapters.out.langchain;

import dev.devloop.provider.domain.Stages;
import dev.langchain4j.http.client.HttpClient;
import dev.langchain4j.http.client.HttpClientBuilder;
import dev.langchain4j.http.client.HttpMethod;
import dev.langchain4j.http.client.HttpRequest;
import dev.langchain4j.http.client.SuccessfulHttpResponse;
import dev.langchain4j.http.client.sse.ServerSentEventListener;
import dev.langchain4j.http.client.sse.ServerSentEventParser;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * LangChain4j's {@link HttpClient} over the JDK's {@code java.net.http} client. Unlike LangChain4j's
 * own clients it keeps what the gateway needs from a failed call: the status, the
 * {@code Retry-After} header and the (bounded) error body, thrown as {@link UpstreamHttpException}.
 *
 * <p>Why java.net.http and not a REST client: this implements LangChain4j's HttpClient SPI (blocking and SSE
 * streaming) for the plain LangChain4j Anthropic/Gemini/Vertex models, and the maintained implementations of that SPI
 * ({@code langchain4j-http-client-jdk}) fail with {@code HttpException(status, body)}, dropping {@code Retry-After}.
 */
public final class JdkHttpClient implements HttpClient {
    private static final int MAX_ERROR_BODY = 8192;

    private final java.net.http.HttpClient client;
    private final Duration readTimeout;
    private final UnaryOperator<Map<String, List<String>>> headers;

    private JdkHttpClient(Builder builder) {
        Duration connect = builder.connectTimeout == null ? Duration.ofSeconds(10) : builder.connectTimeout;
        this.client = java.net.http.HttpClient.newBuilder()
                .connectTimeout(connect)
                .version(java.net.http.HttpClient.Version.HTTP_1_1)
                .build();
        this.readTimeout = builder.readTimeout == null ? Duration.ofSeconds(120) : builder.readTimeout;
        this.headers = builder.headers;
    }

    public static Builder builder() {
        return new Builder();
    }

    @Override
    public SuccessfulHttpResponse execute(HttpRequest request) {
        HttpResponse<InputStream> response;
        try {
            response = client.send(toJdk(request), HttpResponse.BodyHandlers.ofInputStream());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while calling the provider", e);
        }
        try (InputStream in = response.body()) {
            if (response.statusCode() >= 400) {
                throw failure(response, in);
            }
            String body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            return SuccessfulHttpResponse.builder()
                    .statusCode(response.statusCode())
                    .headers(response.headers().map())
                    .body(body)
                    .build();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void execute(HttpRequest request, ServerSentEventParser parser, ServerSentEventListener listener) {
        client.sendAsync(toJdk(request), HttpResponse.BodyHandlers.ofInputStream())
                .whenComplete((response, error) -> {
                    if (error != null) {
                        listener.onError(Stages.cause(error));
                        return;
                    }
                    try (InputStream in = response.body()) {
                        if (response.statusCode() >= 400) {
                            listener.onError(failure(response, in));
                            return;
                        }
                        listener.onOpen(SuccessfulHttpResponse.builder()
                                .statusCode(response.statusCode())
                                .headers(response.headers().map())
                                .build());
                        parser.parse(in, listener);
                        listener.onClose();
                    } catch (IOException | RuntimeException e) {
                        listener.onError(e);
                    }
                });
    }

    private static UpstreamHttpException failure(HttpResponse<?> response, InputStream in) throws IOException {
        String body = new String(in.readNBytes(MAX_ERROR_BODY), StandardCharsets.UTF_8);
        return new UpstreamHttpException(
                response.statusCode(),
                response.headers().firstValue("Retry-After").orElse(null),
                body);
    }

    private java.net.http.HttpRequest toJdk(HttpRequest request) {
        java.net.http.HttpRequest.Builder b =
                java.net.http.HttpRequest.newBuilder(URI.create(request.url())).timeout(readTimeout);
        for (Map.Entry<String, List<String>> h :
                headers.apply(request.headers()).entrySet()) {
            for (String v : h.getValue()) {
                b.header(h.getKey(), v);
            }
        }
        if (request.method() == HttpMethod.GET) {
            b.GET();
        } else if (request.method() == HttpMethod.DELETE) {
            b.DELETE();
        } else {
            String body = request.body() == null ? "" : request.body();
            b.POST(java.net.http.HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        }
        return b.build();
    }

    /** Builds {@link JdkHttpClient}s; LangChain4j models set the timeouts from their own settings. */
    public static final class Builder implements HttpClientBuilder {
        private Duration connectTimeout;
        private Duration readTimeout;
        private UnaryOperator<Map<String, List<String>>> headers = UnaryOperator.identity();

        /**
         * Rewrites every request's headers just before it is sent (e.g. Vertex AI swaps the Gemini API's
         * {@code x-goog-api-key} for an OAuth {@code Authorization: Bearer}); may throw to fail the call.
         */
        public Builder headers(UnaryOperator<Map<String, List<String>>> rewrite) {
            this.headers = rewrite;
            return this;
        }

        @Override
        public Duration connectTimeout() {
            return connectTimeout;
        }

        @Override
        public Builder connectTimeout(Duration timeout) {
            this.connectTimeout = timeout;
            return this;
        }

        @Override
        public Duration readTimeout() {
            return readTimeout;
        }

        @Override
        public Builder readTimeout(Duration timeout) {
            this.readTimeout = timeout;
            return this;
        }

        @Override
        public HttpClient build() {
            return new JdkHttpClient(this);
        }
    }
}
