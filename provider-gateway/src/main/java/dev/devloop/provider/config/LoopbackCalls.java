package dev.devloop.provider.config;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntFunction;
import java.util.function.Supplier;

/**
 * Sends the warm-up's chat calls to this gateway's own HTTP server over {@code connections} keep-alive connections
 * at once (each connection lands on its own event loop, each blocking route on a worker), so the server's decode,
 * dispatch, identity filter, span and route are compiled before the first caller's request. Bounded by a call count
 * and a deadline. A failed call (not 200, refused, timed out, a keep-alive connection closed under it) does not end the
 * run: on a loaded machine one call in hundreds can fail, and ending there left the gateway ready after a tenth of its
 * warm-up. The run ends early only when failures reach {@link #failureBudget} (a gateway that cannot serve them).
 */
final class LoopbackCalls {
    static final String PATH = "/v1/chat/completions";
    /** Carries the run's secret mark, by which {@link WarmupHttpMetrics} keeps the calls out of the HTTP metrics. */
    static final String MARK_HEADER = "X-Devloop-Warmup";
    /** A connection's set-up; a call may take until the deadline (the first ones load and compile the path). */
    private static final int CONNECT_TIMEOUT_MS = 5_000;

    /** What a run did: calls answered 200, calls that failed, and the first failure (null when none did). */
    record Outcome(int ok, int failed, String firstFailure) {}

    /** Failed calls after which a run of {@code calls} stops: 5 %, at least 5. */
    static int failureBudget(int calls) {
        return Math.max(5, calls / 20);
    }

    private final Vertx vertx;
    private final String host;
    private final int port;
    private final String mark;

    LoopbackCalls(Vertx vertx, String host, int port, String mark) {
        this.vertx = vertx;
        this.host = host;
        this.port = port;
        this.mark = mark;
    }

    /** Sends up to {@code calls} bodies ({@code body.apply(i)}), {@code connections} at a time, until the deadline. */
    Outcome run(int calls, int connections, long deadlineNanos, Supplier<String> bearer, IntFunction<String> body)
            throws InterruptedException {
        HttpClient client = vertx.createHttpClient(
                new HttpClientOptions()
                        .setDefaultHost(host)
                        .setDefaultPort(port)
                        .setKeepAlive(true)
                        .setConnectTimeout(CONNECT_TIMEOUT_MS),
                new PoolOptions().setHttp1MaxSize(connections));
        Run run = new Run(client, calls, deadlineNanos, bearer, body, mark, new CountDownLatch(connections));
        try {
            for (int c = 0; c < connections; c++) {
                run.next();
            }
            run.done.await(Math.max(1, untilMs(deadlineNanos)) + 1_000, TimeUnit.MILLISECONDS);
        } finally {
            client.close();
        }
        return new Outcome(run.ok.get(), run.failed.get(), run.failure.get());
    }

    /** One run's state; each connection's chain calls {@link #next} when its previous call ends. */
    private record Run(
            HttpClient client,
            int calls,
            long deadlineNanos,
            Supplier<String> bearer,
            IntFunction<String> body,
            String mark,
            CountDownLatch done,
            AtomicInteger issued,
            AtomicInteger ok,
            AtomicInteger failed,
            AtomicReference<String> failure) {
        Run(
                HttpClient client,
                int calls,
                long deadline,
                Supplier<String> bearer,
                IntFunction<String> body,
                String mark,
                CountDownLatch done) {
            this(
                    client,
                    calls,
                    deadline,
                    bearer,
                    body,
                    mark,
                    done,
                    new AtomicInteger(),
                    new AtomicInteger(),
                    new AtomicInteger(),
                    new AtomicReference<>());
        }

        void next() {
            int i = issued.getAndIncrement();
            if (i >= calls || System.nanoTime() >= deadlineNanos || failed.get() >= failureBudget(calls)) {
                done.countDown();
                return;
            }
            RequestOptions options = new RequestOptions()
                    .setMethod(HttpMethod.POST)
                    .setURI(PATH)
                    .setIdleTimeout(Math.max(1_000, untilMs(deadlineNanos)))
                    .putHeader("Content-Type", "application/json")
                    .putHeader("Authorization", bearer.get())
                    .putHeader(MARK_HEADER, mark);
            client.request(options)
                    .compose(request -> request.send(body.apply(i)))
                    .compose(response -> response.body()
                            .compose(b -> response.statusCode() == 200
                                    ? Future.succeededFuture()
                                    : Future.failedFuture(
                                            "HTTP " + response.statusCode() + ": " + first200(b.toString()))))
                    .onComplete(result -> {
                        if (result.succeeded()) {
                            ok.incrementAndGet();
                        } else {
                            failed.incrementAndGet();
                            failure.compareAndSet(null, String.valueOf(result.cause()));
                        }
                        next();
                    });
        }
    }

    private static long untilMs(long deadlineNanos) {
        return TimeUnit.NANOSECONDS.toMillis(deadlineNanos - System.nanoTime());
    }

    private static String first200(String s) {
        return s.length() > 200 ? s.substring(0, 200) : s;
    }
}
