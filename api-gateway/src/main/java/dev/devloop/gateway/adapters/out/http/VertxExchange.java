package dev.devloop.gateway.adapters.out.http;

import dev.devloop.contracts.Headers;
import io.quarkus.tls.TlsConfiguration;
import io.vertx.core.Context;
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
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One buffered HTTP/1.1 exchange over Quarkus' Vert.x event loops, awaited by the calling worker thread.
 * The hot path of the hop: unlike the JDK client (a selector thread plus an executor hand-off per answer) the
 * request is written and the answer read on the event loop, so a call costs one wake-up of the caller.
 * The body is bounded while it arrives; the call's timeout is a timer of the exchange (see {@link #start}).
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

    /** No answer within the call's bound: the exchange was reset. */
    static final class Deadline extends RuntimeException {
        Deadline() {
            super("no answer in time", null, false, false);
        }
    }

    private final Vertx vertx;
    private final HttpClientOptions options;
    /** Blocking callers (worker threads). */
    private final HttpClient client;
    /**
     * One client per event loop for event-loop callers: a pooled connection is bound to the event loop it was opened
     * on, and one shared pool lends a connection of loop A to a caller on loop B, so every write and every answer
     * crossed threads (a task and a selector wake-up each way: the profile of stop 24). A client used from one loop
     * only opens and reuses connections of that loop. Bounded by the number of event-loop threads.
     */
    private final Map<Thread, HttpClient> perLoop = new ConcurrentHashMap<>();

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
        this.vertx = vertx;
        this.options = options;
        this.client = vertx.createHttpClient(options);
    }

    /** The calling event loop's own client, or the shared one off the event loop. */
    private HttpClient client() {
        if (!Context.isOnEventLoopThread()) {
            return client;
        }
        return perLoop.computeIfAbsent(Thread.currentThread(), loop -> vertx.createHttpClient(options));
    }

    /**
     * Sends {@code body} (none when empty and {@code method} is GET or DELETE) and reads at most {@code maxBytes}.
     *
     * @throws IOException the service could not be reached or broke off
     * @throws TooLarge the answer passed {@code maxBytes}
     * @throws Deadline the answer was not complete within {@code timeout}
     */
    Answer exchange(
            String method, String absoluteUri, Map<String, String> headers, byte[] body, Duration timeout, int maxBytes)
            throws IOException, InterruptedException {
        AtomicReference<HttpClientRequest> sent = new AtomicReference<>();
        CompletableFuture<Answer> result = start(method, absoluteUri, headers, body, null, maxBytes, sent);
        try {
            // the waiting thread's own bound: a timer on a worker's (ordered) context could wait behind this very wait
            return result.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            if (result.completeExceptionally(new Deadline())) {
                resetIfStarted(sent);
                throw new Deadline();
            }
            return exchangeEnded(result);
        } catch (InterruptedException e) {
            resetIfStarted(sent);
            throw e;
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof TooLarge tooLarge) {
                throw tooLarge;
            }
            if (cause instanceof Deadline deadline) {
                throw deadline;
            }
            throw io(cause);
        }
    }

    /**
     * As {@link #exchange} without a waiting thread: the answer completes on the event loop that read it. Fails with
     * {@link IOException} (unreachable, broke off), {@link TooLarge} or {@link Deadline}.
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
                answer.completeExceptionally(
                        failed instanceof TooLarge || failed instanceof Deadline ? failed : io(failed));
            }
        });
        return answer;
    }

    /** The outcome of an exchange that ended just as its wait ran out. */
    private static Answer exchangeEnded(CompletableFuture<Answer> result) throws IOException {
        try {
            return result.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof TooLarge || e.getCause() instanceof Deadline) {
                throw (RuntimeException) e.getCause();
            }
            throw io(e.getCause());
        }
    }

    private static void resetIfStarted(AtomicReference<HttpClientRequest> sent) {
        HttpClientRequest request = sent.get();
        if (request != null) {
            request.reset();
        }
    }

    private static IOException io(Throwable cause) {
        String message = cause.getMessage();
        return new IOException(cause.getClass().getSimpleName() + (message == null ? "" : ": " + message), cause);
    }

    /**
     * The exchange; with {@code timeout} (event-loop callers) bounded from now to the answer's last byte by one
     * Vert.x timer on the caller's event loop (no fault-tolerance timer thread): when it fires the request is reset
     * and the exchange fails with {@link Deadline}; it is cancelled when the exchange ends. Without, the caller's
     * wait bounds it ({@link #exchange}).
     */
    private CompletableFuture<Answer> start(
            String method,
            String absoluteUri,
            Map<String, String> headers,
            byte[] body,
            Duration timeout,
            int maxBytes,
            AtomicReference<HttpClientRequest> sent) {
        RequestOptions options =
                new RequestOptions().setMethod(HttpMethod.valueOf(method)).setAbsoluteURI(absoluteUri);
        headers.forEach(options::putHeader);
        CompletableFuture<Answer> result = new CompletableFuture<>();
        AtomicReference<HttpClientRequest> request = sent == null ? new AtomicReference<>() : sent;
        if (timeout != null) {
            long timer = vertx.setTimer(Math.max(1, timeout.toMillis()), id -> {
                if (result.completeExceptionally(new Deadline())) {
                    resetIfStarted(request);
                }
            });
            result.whenComplete((done, failed) -> vertx.cancelTimer(timer));
        }
        client().request(options).onFailure(result::completeExceptionally).onSuccess(outgoing -> {
            request.set(outgoing);
            if (result.isDone()) { // the deadline passed while a connection was awaited
                outgoing.reset();
                return;
            }
            outgoing.response().onFailure(result::completeExceptionally).onSuccess(response -> {
                Body received = Body.sized(response.getHeader("Content-Length"), maxBytes);
                response.exceptionHandler(result::completeExceptionally);
                response.handler(chunk -> {
                    if (result.isDone()) {
                        return;
                    }
                    if (received.length() + chunk.length() > maxBytes) {
                        result.completeExceptionally(new TooLarge());
                        outgoing.reset();
                        return;
                    }
                    received.append(chunk);
                });
                response.endHandler(end -> result.complete(new Answer(
                        response.statusCode(),
                        response.getHeader("Content-Type"),
                        response.getHeader("Location"),
                        received.bytes(),
                        response.getHeader(Headers.NEXT_AFTER))));
            });
            if (body.length > 0) {
                outgoing.end(Buffer.buffer(body));
            } else {
                outgoing.end();
            }
        });
        return result;
    }

    /**
     * An answer's bytes as they arrive, copied once into one array of the answer's size: with a {@code Content-Length}
     * (within the bound) into an array of that size as each chunk comes; without one (a chunked answer, as siblings
     * send their lists) the chunks are kept (each is already the answer's own heap copy) and copied together at the
     * end. Stop 39: a growing {@link Buffer} and its final copy were a quarter of the gateway's allocated bytes per
     * forwarded read.
     */
    static final class Body {
        private byte[] exact;
        private int filled;
        private List<Buffer> chunks;

        static Body sized(String contentLength, int maxBytes) {
            Body body = new Body();
            int length = -1;
            if (contentLength != null && !contentLength.isEmpty() && contentLength.length() <= 10) {
                try {
                    length = Integer.parseInt(contentLength.trim());
                } catch (NumberFormatException ignored) {
                    length = -1; // not a length: read as a body without one
                }
            }
            if (length >= 0 && length <= maxBytes) {
                body.exact = new byte[length];
            } else {
                body.chunks = new ArrayList<>(4);
            }
            return body;
        }

        int length() {
            return filled;
        }

        void append(Buffer chunk) {
            if (exact != null && filled + chunk.length() <= exact.length) {
                chunk.getBytes(0, chunk.length(), exact, filled);
                filled += chunk.length();
                return;
            }
            if (exact != null) { // more than announced: keep what came, go on with chunks
                chunks = new ArrayList<>(4);
                chunks.add(Buffer.buffer(Arrays.copyOf(exact, filled)));
                exact = null;
            }
            chunks.add(chunk);
            filled += chunk.length();
        }

        /** The bytes received (the array itself when it was filled exactly). */
        byte[] bytes() {
            if (exact != null) {
                return filled == exact.length ? exact : Arrays.copyOf(exact, filled);
            }
            byte[] all = new byte[filled];
            int at = 0;
            for (Buffer chunk : chunks) {
                chunk.getBytes(0, chunk.length(), all, at);
                at += chunk.length();
            }
            return all;
        }
    }

    @Override
    public void close() {
        client.close();
        perLoop.values().forEach(HttpClient::close);
    }
}
