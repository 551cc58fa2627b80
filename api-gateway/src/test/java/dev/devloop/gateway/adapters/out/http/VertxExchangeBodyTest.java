package dev.devloop.gateway.adapters.out.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * An answer's bytes as the exchange reads them (stop 39: into one array of the announced length, each chunk copied
 * once; without a length into a growing buffer as before): the same bytes either way, over the wire in several
 * chunks, and the bound still cuts an answer that is too large.
 */
class VertxExchangeBodyTest {
    private static final int SIZE = 200_000; // several reads of the socket

    private HttpServer server;
    private Vertx vertx;
    private final byte[] expected = pattern(SIZE);

    private static byte[] pattern(int size) {
        byte[] bytes = new byte[size];
        for (int i = 0; i < size; i++) {
            bytes[i] = (byte) ('a' + i % 26);
        }
        return bytes;
    }

    @BeforeEach
    void start() throws Exception {
        vertx = Vertx.vertx();
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/sized", exchange -> {
            exchange.sendResponseHeaders(200, expected.length); // Content-Length
            try (OutputStream out = exchange.getResponseBody()) {
                for (int at = 0; at < expected.length; at += 7_000) {
                    out.write(expected, at, Math.min(7_000, expected.length - at));
                    out.flush();
                }
            }
        });
        server.createContext("/chunked", exchange -> {
            exchange.sendResponseHeaders(200, 0); // Transfer-Encoding: chunked, no length
            try (OutputStream out = exchange.getResponseBody()) {
                for (int at = 0; at < expected.length; at += 7_000) {
                    out.write(expected, at, Math.min(7_000, expected.length - at));
                    out.flush();
                }
            }
        });
        server.createContext("/empty", exchange -> {
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
        vertx.close().toCompletionStage().toCompletableFuture().join();
    }

    private String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    private VertxExchange.Answer onEventLoop(VertxExchange exchange, String path, int maxBytes) throws Exception {
        CompletableFuture<VertxExchange.Answer> answer = new CompletableFuture<>();
        vertx.getOrCreateContext().runOnContext(ignored -> exchange.exchangeAsync(
                        "GET", url(path), Map.of(), new byte[0], Duration.ofSeconds(10), maxBytes)
                .whenComplete((done, failed) -> {
                    if (failed == null) {
                        answer.complete(done);
                    } else {
                        answer.completeExceptionally(failed);
                    }
                }));
        return answer.get(30, TimeUnit.SECONDS);
    }

    @Test
    void anAnswerWithALengthArrivesWholeOnBothPaths() throws Exception {
        try (VertxExchange exchange = new VertxExchange(vertx, Duration.ofSeconds(2), 4, Optional.empty())) {
            VertxExchange.Answer async = onEventLoop(exchange, "/sized", SIZE);
            assertThat(async.status()).isEqualTo(200);
            assertThat(async.body()).isEqualTo(expected);
            VertxExchange.Answer blocking =
                    exchange.exchange("GET", url("/sized"), Map.of(), new byte[0], Duration.ofSeconds(10), SIZE);
            assertThat(blocking.body()).isEqualTo(expected);
        }
    }

    @Test
    void aChunkedAnswerWithoutALengthArrivesWholeToo() throws Exception {
        try (VertxExchange exchange = new VertxExchange(vertx, Duration.ofSeconds(2), 4, Optional.empty())) {
            VertxExchange.Answer async = onEventLoop(exchange, "/chunked", SIZE);
            assertThat(async.status()).isEqualTo(200);
            assertThat(async.body()).isEqualTo(expected);
        }
    }

    @Test
    void anAnswerWithoutABodyHasNoBytes() throws Exception {
        try (VertxExchange exchange = new VertxExchange(vertx, Duration.ofSeconds(2), 4, Optional.empty())) {
            VertxExchange.Answer answer = onEventLoop(exchange, "/empty", SIZE);
            assertThat(answer.status()).isEqualTo(204);
            assertThat(answer.body()).isEmpty();
        }
    }

    @Test
    void anAnswerPastTheBoundIsCutWithOrWithoutALength() throws Exception {
        try (VertxExchange exchange = new VertxExchange(vertx, Duration.ofSeconds(2), 4, Optional.empty())) {
            for (String path : new String[] {"/sized", "/chunked"}) {
                assertThatThrownBy(() -> onEventLoop(exchange, path, SIZE - 1))
                        .isInstanceOf(ExecutionException.class)
                        .hasCauseInstanceOf(VertxExchange.TooLarge.class);
            }
        }
    }

    @Test
    void theBodyKeepsWhatCameWhenTheLengthWasWrongOrUnreadable() {
        VertxExchange.Body more = VertxExchange.Body.sized("3", 100);
        more.append(Buffer.buffer("ab"));
        more.append(Buffer.buffer("cde")); // more than announced: kept, in order
        assertThat(more.length()).isEqualTo(5);
        assertThat(new String(more.bytes())).isEqualTo("abcde");

        VertxExchange.Body fewer = VertxExchange.Body.sized("10", 100);
        fewer.append(Buffer.buffer("xyz"));
        assertThat(new String(fewer.bytes())).isEqualTo("xyz");

        VertxExchange.Body unreadable = VertxExchange.Body.sized("ten", 100);
        unreadable.append(Buffer.buffer("ok"));
        assertThat(new String(unreadable.bytes())).isEqualTo("ok");

        VertxExchange.Body overBound = VertxExchange.Body.sized("1000", 100); // no array of an unbounded size
        overBound.append(Buffer.buffer("12"));
        assertThat(new String(overBound.bytes())).isEqualTo("12");
    }
}
