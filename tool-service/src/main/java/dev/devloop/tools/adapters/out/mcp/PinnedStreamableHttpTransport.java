package dev.devloop.tools.adapters.out.mcp;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.langchain4j.mcp.client.McpCallContext;
import dev.langchain4j.mcp.client.transport.McpOperationHandler;
import dev.langchain4j.mcp.client.transport.McpTransport;
import dev.langchain4j.mcp.protocol.McpClientMessage;
import dev.langchain4j.mcp.protocol.McpInitializationNotification;
import dev.langchain4j.mcp.protocol.McpInitializeRequest;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.SocketAddress;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * LangChain4j's MCP transport over streamable HTTP, spoken with a Vert.x {@link HttpClient} to one pinned address:
 * every request connects to {@link PinnedTarget#address()} (resolved and checked before this transport was built)
 * while the URL's host names the server (Host header, TLS SNI and certificate host-name check), so no second name
 * lookup can send it elsewhere. Answers are JSON or an event stream; {@code Mcp-Session-Id} is kept and sent back
 * (a 404 on a live session re-initializes once); redirects are refused, never followed; every answer is bounded in
 * bytes and every exchange in time.
 */
final class PinnedStreamableHttpTransport implements McpTransport {
    private static final Logger LOG = Logger.getLogger(PinnedStreamableHttpTransport.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SESSION = "Mcp-Session-Id";

    private final Vertx vertx;
    private final HttpClient http;
    private final PinnedTarget target;
    private final long connectTimeoutMs;
    private final long exchangeTimeoutMs;
    private final int maxAnswerBytes;
    private final Supplier<Map<String, String>> headers;
    private final AtomicReference<String> session = new AtomicReference<>();
    private final Set<HttpClientRequest> open = ConcurrentHashMap.newKeySet();
    private volatile McpOperationHandler handler;
    private volatile McpInitializeRequest initializeRequest;
    private volatile boolean closed;

    PinnedStreamableHttpTransport(
            Vertx vertx,
            HttpClient http,
            PinnedTarget target,
            long connectTimeoutMs,
            long exchangeTimeoutMs,
            int maxAnswerBytes,
            Supplier<Map<String, String>> headers) {
        this.vertx = vertx;
        this.http = http;
        this.target = target;
        this.connectTimeoutMs = connectTimeoutMs;
        this.exchangeTimeoutMs = exchangeTimeoutMs;
        this.maxAnswerBytes = maxAnswerBytes;
        this.headers = headers;
    }

    @Override
    public void start(McpOperationHandler operationHandler) {
        this.handler = operationHandler;
    }

    @Override
    public CompletableFuture<JsonNode> initialize(McpInitializeRequest request) {
        this.initializeRequest = request;
        return send(request, false).thenCompose(answer -> send(new McpInitializationNotification(), false)
                .thenApply(none -> answer));
    }

    @Override
    public CompletableFuture<JsonNode> executeOperationWithResponse(McpClientMessage message) {
        return send(message, false);
    }

    @Override
    public CompletableFuture<JsonNode> executeOperationWithResponse(McpCallContext context) {
        return send(context.message(), false);
    }

    @Override
    public void executeOperationWithoutResponse(McpClientMessage message) {
        send(message, false).exceptionally(e -> {
            LOG.debugf("an MCP notification was not delivered: %s", e.getMessage());
            return null;
        });
    }

    @Override
    public void executeOperationWithoutResponse(McpCallContext context) {
        executeOperationWithoutResponse(context.message());
    }

    @Override
    public void checkHealth() {
        // nothing transport-specific: a failed exchange already fails its operation
    }

    @Override
    public void onFailure(Runnable actionOnFailure) {
        // no long-lived channel to lose: each exchange reports its own failure
    }

    @Override
    public void close() {
        closed = true;
        open.forEach(HttpClientRequest::reset);
        open.clear();
    }

    /**
     * POSTs one JSON-RPC message. With an id, the answer completes when the operation handler sees the response of
     * that id (from a JSON body or an event of the stream); without one, when the server accepted it.
     */
    private CompletableFuture<JsonNode> send(McpClientMessage message, boolean retried) {
        if (closed) {
            return CompletableFuture.failedFuture(new McpHttpFailure("the MCP client was closed"));
        }
        byte[] body;
        try {
            body = JSON.writeValueAsBytes(message);
        } catch (JsonProcessingException e) {
            return CompletableFuture.failedFuture(e);
        }
        Long id = message.getId();
        CompletableFuture<JsonNode> answer = new CompletableFuture<>();
        if (id != null) {
            handler.startOperation(id, answer);
        }
        // read on the caller's thread: the trace context is the caller's, not the event loop's
        RequestOptions options = options(message instanceof McpInitializeRequest);
        http.request(options)
                .compose(request -> exchange(request, body, id, answer))
                .onComplete(done -> {
                    if (done.failed()) {
                        answer.completeExceptionally(done.cause());
                    } else if (done.result() == Outcome.SESSION_EXPIRED) {
                        reinitializeAndRetry(message, retried, answer);
                    } else if (id == null) {
                        answer.complete(null);
                    } else if (!answer.isDone()) {
                        answer.completeExceptionally(
                                new McpHttpFailure("the MCP server's answer carried no response to request " + id));
                    }
                });
        return answer;
    }

    /** What one exchange came to, besides failing. */
    private enum Outcome {
        ANSWERED,
        SESSION_EXPIRED
    }

    private Future<Outcome> exchange(
            HttpClientRequest request, byte[] body, Long id, CompletableFuture<JsonNode> answer) {
        open.add(request);
        long timer = vertx.setTimer(
                exchangeTimeoutMs,
                t -> request.reset(
                        0, new McpHttpFailure("the MCP server did not answer within " + exchangeTimeoutMs + " ms")));
        return request.send(Buffer.buffer(body))
                .compose(response -> answered(response, id))
                .onComplete(done -> {
                    vertx.cancelTimer(timer);
                    open.remove(request);
                });
    }

    private Future<Outcome> answered(HttpClientResponse response, Long id) {
        int status = response.statusCode();
        if (status / 100 == 3) {
            discard(response);
            return Future.failedFuture(new McpHttpFailure("the MCP server answered " + status + " (to "
                    + response.getHeader("Location") + "); redirects are not followed"));
        }
        if (status == 404 && session.get() != null) {
            discard(response);
            return Future.succeededFuture(Outcome.SESSION_EXPIRED);
        }
        if (status / 100 != 2) {
            discard(response);
            return Future.failedFuture(new McpHttpFailure("the MCP server answered " + status));
        }
        String sessionId = response.getHeader(SESSION);
        if (sessionId != null && !sessionId.isBlank()) {
            session.set(sessionId);
        }
        String type = response.getHeader("Content-Type");
        if (type != null && type.toLowerCase(Locale.ROOT).startsWith("text/event-stream")) {
            return events(response).map(Outcome.ANSWERED);
        }
        return bounded(response).map(bytes -> {
            if (bytes.length() > 0) {
                deliver(bytes.toString());
            }
            return Outcome.ANSWERED;
        });
    }

    /** An expired session (404): initialize again, once, then resend the message. */
    private void reinitializeAndRetry(McpClientMessage message, boolean retried, CompletableFuture<JsonNode> answer) {
        McpInitializeRequest initialize = initializeRequest;
        if (retried || initialize == null || message instanceof McpInitializeRequest) {
            answer.completeExceptionally(new McpHttpFailure("the MCP server no longer knows this session (404)"));
            return;
        }
        session.set(null);
        initialize(initialize).thenCompose(ok -> send(message, true)).whenComplete((node, failure) -> {
            if (failure != null) {
                answer.completeExceptionally(failure);
            } else {
                answer.complete(node);
            }
        });
    }

    private RequestOptions options(boolean initialize) {
        RequestOptions options = new RequestOptions()
                .setMethod(HttpMethod.POST)
                .setServer(SocketAddress.inetSocketAddress(new InetSocketAddress(target.address(), target.port())))
                .setHost(target.host())
                .setPort(target.port())
                .setSsl(target.tls())
                .setURI(target.pathAndQuery())
                .setFollowRedirects(false)
                .setConnectTimeout(connectTimeoutMs)
                .setIdleTimeout(exchangeTimeoutMs)
                .putHeader("Content-Type", "application/json")
                .putHeader("Accept", "application/json, text/event-stream");
        String sessionId = session.get();
        if (sessionId != null && !initialize) {
            options.putHeader(SESSION, sessionId);
        }
        headers.get().forEach(options::putHeader);
        return options;
    }

    /** The whole body, refused once it passes the bound (by its Content-Length or as it arrives). */
    private Future<Buffer> bounded(HttpClientResponse response) {
        String length = response.getHeader("Content-Length");
        if (length != null
                && length.chars().allMatch(Character::isDigit)
                && (length.length() > 18 || Long.parseLong(length) > maxAnswerBytes)) {
            discard(response);
            return Future.failedFuture(tooLarge());
        }
        Promise<Buffer> promise = Promise.promise();
        Buffer body = Buffer.buffer();
        response.exceptionHandler(promise::tryFail);
        response.handler(chunk -> {
            if (body.length() + chunk.length() > maxAnswerBytes) {
                if (promise.tryFail(tooLarge())) {
                    response.request().reset();
                }
            } else {
                body.appendBuffer(chunk);
            }
        });
        response.endHandler(v -> promise.tryComplete(body));
        return promise.future();
    }

    /** An event stream: each event's data is one JSON-RPC message; the whole stream is bounded like a body. */
    private Future<Void> events(HttpClientResponse response) {
        Promise<Void> promise = Promise.promise();
        ServerSentEvents parser = new ServerSentEvents(this::deliver);
        long[] read = {0};
        response.exceptionHandler(promise::tryFail);
        response.handler(chunk -> {
            read[0] += chunk.length();
            if (read[0] > maxAnswerBytes) {
                if (promise.tryFail(tooLarge())) {
                    response.request().reset();
                }
                return;
            }
            parser.accept(chunk.getBytes());
        });
        response.endHandler(v -> {
            parser.end();
            promise.tryComplete();
        });
        return promise.future();
    }

    /** Hands a JSON-RPC message (or a batch) to the operation handler, which completes the waiting operation. */
    private void deliver(String text) {
        JsonNode node;
        try {
            node = JSON.readTree(text);
        } catch (IOException e) {
            LOG.debugf("the MCP server sent a message that is not JSON: %s", e.getMessage());
            return;
        }
        if (node == null) {
            return;
        }
        if (node.isArray()) {
            node.forEach(handler::handle);
        } else {
            handler.handle(node);
        }
    }

    /** Drops an answer that is not read: the connection is reset, and the reset is expected, not an error. */
    private static void discard(HttpClientResponse response) {
        response.exceptionHandler(expected -> {});
        response.request().reset();
    }

    private McpHttpFailure tooLarge() {
        return new McpHttpFailure("the MCP server's answer is larger than " + maxAnswerBytes + " bytes; cut");
    }
}
