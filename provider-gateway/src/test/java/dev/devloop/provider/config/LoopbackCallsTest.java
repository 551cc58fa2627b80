package dev.devloop.provider.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The warm-up's loopback calls against a real HTTP server on 127.0.0.1: a call that fails does not end the run (it
 * used to, leaving a gateway on a loaded machine ready after a tenth of its warm-up); a server that fails every call
 * ends it after the failure budget.
 */
class LoopbackCallsTest {
    private Vertx vertx;
    private HttpServer server;
    private final AtomicInteger received = new AtomicInteger();

    @BeforeEach
    void vertx() {
        vertx = Vertx.vertx();
    }

    @AfterEach
    void close() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    /** A server answering 200, except the calls for which {@code fails} holds (by arrival number from 1): 502. */
    private int serve(java.util.function.IntPredicate fails) throws Exception {
        server = vertx.createHttpServer(
                        new HttpServerOptions().setHost("127.0.0.1").setPort(0))
                .requestHandler(req -> req.body().onComplete(body -> {
                    int n = received.incrementAndGet();
                    req.response().setStatusCode(fails.test(n) ? 502 : 200).end("{}");
                }))
                .listen()
                .toCompletionStage()
                .toCompletableFuture()
                .get(10, TimeUnit.SECONDS);
        return server.actualPort();
    }

    private LoopbackCalls.Outcome run(int port, int calls, int connections) throws InterruptedException {
        return new LoopbackCalls(vertx, "127.0.0.1", port, "mark")
                .run(
                        calls,
                        connections,
                        System.nanoTime() + TimeUnit.SECONDS.toNanos(30),
                        () -> "Bearer t",
                        i -> "{\"i\":" + i + "}");
    }

    @Test
    void aFewFailedCallsDoNotEndTheRun() throws Exception {
        int port = serve(n -> n == 3 || n == 40);

        LoopbackCalls.Outcome outcome = run(port, 100, 4);

        assertThat(received.get()).isEqualTo(100);
        assertThat(outcome.ok()).isEqualTo(98);
        assertThat(outcome.failed()).isEqualTo(2);
        assertThat(outcome.firstFailure()).contains("HTTP 502");
    }

    @Test
    void aServerThatFailsEveryCallEndsTheRunAtTheBudget() throws Exception {
        int port = serve(n -> true);

        LoopbackCalls.Outcome outcome = run(port, 400, 4);

        int budget = LoopbackCalls.failureBudget(400);
        assertThat(budget).isEqualTo(20);
        assertThat(outcome.ok()).isZero();
        // the connections in flight when the budget was reached still finish their call
        assertThat(outcome.failed()).isBetween(budget, budget + 3);
        assertThat(received.get()).isEqualTo(outcome.failed()).isLessThan(400);
    }
}
