package dev.devloop.gateway.adapters.out.http;

import dev.devloop.contracts.Headers;
import io.quarkus.tls.TlsConfiguration;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.tracing.TracingPolicy;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One buffered HTTP/1.1 exchange over Quarkus' Vert.x event loops, awaited by the calling worker thread.
 * The hot path of the hop: unlike the JDK client (a selector thread plus an executor hand-off per answer) the
 * request is written and the answer read on the event loop, so a call costs one wake-up of the caller.
 * The body is bounded while it arrives; a caller interrupted by its timeout resets the request.
 */
final class VertxExchange implements AutoCloseable {
    /** What came back. */
    record Answer(int status, String contentType, String location, byte[] body, String nextAfter) {}

    /** The answer grew past the bound; the exchange was cut. */
    static final class TooLarge extends RuntimeException {
        TooLarge() {
            super("answer too large", null, false, false);
        }
    }

    private final HttpClient client;

    /**
     * With {@code cellTls} (contracts {@code CellTls}, when the cell runs mTLS) an {@code https} sibling is trusted by
     * the cell's CA only and is shown this service's certificate; {@code http} URLs are unaffected.
     */
    VertxExchange(Vertx vertx, Duration connectTimeout, int poolSize, Optional<TlsConfiguration> cellTls) {
        HttpClientOptions options = new HttpClientOptions()
                .setConnectTimeout((int) connectTimeout.toMillis())
                .setKeepAlive(true)
                .setMaxPoolSize(poolSize)
                .setMaxWaitQueueSize(-1) // the hop's bulkheads bound the waiting
                .setTracingPolicy(TracingPolicy.IGNORE); // the hop injects the W3C context itself, as on every path
        cellTls.ifPresent(tls -> options.setKeyCertOptions(tls.getKeyStoreOptions())
                .setTrustOptions(tls.getTrustStoreOptions())
                .setVerifyHost(true));
        this.client = vertx.createHttpClient(options);
    }

    /**
     * Sends {@code body} (none when empty and {@code method} is GET or DELETE) and reads at most {@code maxBytes}.
     *
     * @throws IOException the service could not be reached or broke off
     * @throws TooLarge the answer passed {@code maxBytes}
     */
    Answer exchange(
            String method, String absoluteUri, Map<String, String> headers, byte[] body, Duration timeout, int maxBytes)
            throws IOException, InterruptedException {
        AtomicReference<HttpClientRequest> sent = new AtomicReference<>();
        CompletableFuture<Answer> result = start(method, absoluteUri, headers, body, timeout, maxBytes, sent);
        try {
            return result.get();
        } catch (InterruptedException e) {
            HttpClientRequest request = sent.get();
            if (request != null) {
                request.reset();
            }
            throw e;
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof TooLarge tooLarge) {
                throw tooLarge;
            }
            throw io(cause);
        }
    }

    /**
     * As {@link #exchange} without a waiting thread: the answer completes on the event loop that read it. Fails with
     * {@link IOException} (unreachable, broke off) or {@link TooLarge}.
     */
    CompletableFuture<Answer> exchangeAsync(
            String method,
            String absoluteUri,
            Map<String, String> headers,
            byte[] body,
            Duration timeout,
            int maxBytes) {
        CompletableFuture<Answer> answer = new CompletableFuture<>();
        start(method, absoluteUri, headers, body, timeout, maxBytes, null).whenComplete((done, failed) -> {
            if (failed == null) {
                answer.complete(done);
            } else {
                answer.completeExceptionally(failed instanceof TooLarge ? failed : io(failed));
            }
        });
        return answer;
    }

    private static IOException io(Throwable cause) {
        String message = cause.getMessage();
        return new IOException(cause.getClass().getSimpleName() + (message == null ? "" : ": " + message), cause);
    }

    private CompletableFuture<Answer> start(
            String method,
            String absoluteUri,
            Map<String, String> headers,
            byte[] body,
            Duration timeout,
            int maxBytes,
            AtomicReference<HttpClientRequest> sent) {
        RequestOptions options = new RequestOptions()
                .setMethod(HttpMethod.valueOf(method))
                .setAbsoluteURI(absoluteUri)
                .setIdleTimeout(timeout.toMillis());
        headers.forEach(options::putHeader);
        CompletableFuture<Answer> result = new CompletableFuture<>();
        client.request(options).onFailure(result::completeExceptionally).onSuccess(request -> {
            if (sent != null) {
                sent.set(request);
            }
            request.response().onFailure(result::completeExceptionally).onSuccess(response -> {
                Buffer received = Buffer.buffer();
                response.exceptionHandler(result::completeExceptionally);
                response.handler(chunk -> {
                    if (result.isDone()) {
                        return;
                    }
                    if (received.length() + chunk.length() > maxBytes) {
                        result.completeExceptionally(new TooLarge());
                        request.reset();
                        return;
                    }
                    received.appendBuffer(chunk);
                });
                response.endHandler(end -> result.complete(new Answer(
                        response.statusCode(),
                        response.getHeader("Content-Type"),
                        response.getHeader("Location"),
                        received.getBytes(),
                        response.getHeader(Headers.NEXT_AFTER))));
            });
            if (body.length > 0) {
                request.end(Buffer.buffer(body));
            } else {
                request.end();
            }
        });
        return result;
    }

    @Override
    public void close() {
        client.close();
    }
}
