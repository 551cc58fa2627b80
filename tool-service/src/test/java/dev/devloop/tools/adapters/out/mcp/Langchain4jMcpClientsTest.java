package dev.devloop.tools.adapters.out.mcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.devloop.tools.application.McpHosts;
import dev.devloop.tools.domain.McpTransport;
import dev.devloop.tools.ports.out.DownstreamException;
import dev.devloop.tools.ports.out.McpClientPort.Endpoint;
import dev.devloop.tools.ports.out.McpClientPort.RemoteResult;
import dev.devloop.tools.ports.out.McpClientPort.RemoteTool;
import dev.devloop.tools.support.InMemoryPorts;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The pinned MCP client against a scripted streamable-HTTP server on 127.0.0.1: it connects to the address checked
 * when the client was created (the URL's name is never looked up again), keeps the session, reads JSON and event
 * stream answers, never follows a redirect and cuts an oversized answer.
 */
class Langchain4jMcpClientsTest {
    private static final String HOST = "pinned-mcp.invalid";
    private static final int MAX_ANSWER_BYTES = 4096;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final InMemoryPorts.Network network = new InMemoryPorts.Network();
    private final McpHosts hosts = new McpHosts(network, Set.of(HOST));
    private final List<String> seen = Collections.synchronizedList(new ArrayList<>());
    private final AtomicInteger redirectTargetHits = new AtomicInteger();
    private Vertx vertx;
    private Langchain4jMcpClients clients;
    private HttpServer server;
    private HttpServer redirectTarget;

    @BeforeEach
    void start() throws IOException {
        vertx = Vertx.vertx();
        clients =
                new Langchain4jMcpClients(JSON, vertx, Duration.ofSeconds(2), Duration.ofSeconds(5), MAX_ANSWER_BYTES);
        redirectTarget = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        redirectTarget.createContext("/", exchange -> {
            redirectTargetHits.incrementAndGet();
            answer(exchange, 200, "application/json", "{}");
        });
        redirectTarget.start();
        server = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 0);
        server.createContext("/mcp", this::mcp);
        server.createContext("/redirect", exchange -> {
            exchange.getResponseHeaders()
                    .add(
                            "Location",
                            "http://127.0.0.1:" + redirectTarget.getAddress().getPort() + "/mcp");
            answer(exchange, 307, "text/plain", "");
        });
        server.createContext("/big", exchange -> {
            JsonNode request = JSON.readTree(exchange.getRequestBody());
            answer(exchange, 200, "application/json", response(request, "\"padding\":\"" + "x".repeat(10_000) + "\""));
        });
        server.createContext("/big-stream", exchange -> {
            exchange.getRequestBody().readAllBytes();
            exchange.getResponseHeaders().add("Content-Type", "text/event-stream");
            exchange.sendResponseHeaders(200, 0);
            String ping = "event: message\ndata: {\"jsonrpc\":\"2.0\",\"method\":\"notifications/progress\"}\n\n";
            try {
                for (int i = 0; i < 200; i++) {
                    exchange.getResponseBody().write(ping.getBytes(StandardCharsets.UTF_8));
                    exchange.getResponseBody().flush();
                }
            } catch (IOException cut) {
                // the client hung up once the stream passed its bound
            }
            exchange.close();
        });
        server.start();
    }

    @AfterEach
    void stop() {
        clients.close();
        server.stop(0);
        redirectTarget.stop(0);
        vertx.close().toCompletionStage().toCompletableFuture().join();
    }

    @Test
    void connectsToTheCheckedAddressAndNeverLooksTheNameUpAgain() {
        // checked as 127.0.0.1; any later lookup answers 127.0.0.2, where nothing listens. '.invalid' never resolves
        // through real DNS (RFC 6761): a lookup outside the check would fail the request too.
        network.rebinding(HOST, "127.0.0.1", "127.0.0.2");
        Endpoint endpoint = endpoint("/mcp");

        List<RemoteTool> tools = clients.listTools(endpoint, hosts::checked);
        RemoteResult sum = clients.call(
                endpoint,
                hosts::checked,
                "add",
                JSON.createObjectNode().put("a", 2).put("b", 3),
                5000);

        assertThat(tools).extracting(RemoteTool::name).containsExactly("add");
        assertThat(sum.error()).isFalse();
        assertThat(sum.text()).isEqualTo("5");
        assertThat(network.lookups).containsExactly(HOST);
        String authority = HOST + ":" + server.getAddress().getPort();
        assertThat(seen)
                .containsExactly(
                        "initialize host=" + authority + " session=null",
                        "notifications/initialized host=" + authority + " session=s-1",
                        "tools/list host=" + authority + " session=s-1",
                        "tools/call host=" + authority + " session=s-1");

        // a new client is checked again and goes to the address checked then: the rebound one
        clients.forget("t", "scripted");
        assertThatThrownBy(() -> clients.call(endpoint, hosts::checked, "add", JSON.createObjectNode(), 5000))
                .isInstanceOf(DownstreamException.class);
        assertThat(network.lookups).containsExactly(HOST, HOST);
        assertThat(seen).hasSize(4);
    }

    @Test
    void aRedirectIsNotFollowed() {
        network.host(HOST, "127.0.0.1");

        assertThatThrownBy(() -> clients.listTools(endpoint("/redirect"), hosts::checked))
                .isInstanceOf(DownstreamException.class)
                .hasMessageContaining("307")
                .hasMessageContaining("redirects are not followed");
        assertThat(redirectTargetHits).hasValue(0);
    }

    @Test
    void anOversizedAnswerIsCutWithAClearError() {
        network.host(HOST, "127.0.0.1");

        assertThatThrownBy(() -> clients.listTools(endpoint("/big"), hosts::checked))
                .isInstanceOf(DownstreamException.class)
                .hasMessageContaining("larger than " + MAX_ANSWER_BYTES + " bytes");
        assertThatThrownBy(() -> clients.listTools(endpoint("/big-stream"), hosts::checked))
                .isInstanceOf(DownstreamException.class)
                .hasMessageContaining("larger than " + MAX_ANSWER_BYTES + " bytes");
    }

    private Endpoint endpoint(String path) {
        return new Endpoint(
                "t",
                "scripted",
                "http://" + HOST + ":" + server.getAddress().getPort() + path,
                McpTransport.STREAMABLE_HTTP);
    }

    /** initialize answers JSON and opens session s-1; tools/list and tools/call answer as event streams. */
    private void mcp(HttpExchange exchange) throws IOException {
        JsonNode request = JSON.readTree(exchange.getRequestBody());
        String method = request.path("method").asText();
        seen.add(method + " host=" + exchange.getRequestHeaders().getFirst("Host") + " session="
                + exchange.getRequestHeaders().getFirst("Mcp-Session-Id"));
        switch (method) {
            case "initialize" -> {
                exchange.getResponseHeaders().add("Mcp-Session-Id", "s-1");
                answer(exchange, 200, "application/json", response(request, """
                    "protocolVersion":"2025-06-18","capabilities":{"tools":{}},\
                    "serverInfo":{"name":"scripted","version":"1"}"""));
            }
            case "tools/list" ->
                answer(exchange, 200, "text/event-stream", "event: message\ndata: " + response(request, """
                    "tools":[{"name":"add","description":"Adds","inputSchema":{"type":"object",\
                    "properties":{"a":{"type":"number"},"b":{"type":"number"}}}}]""") + "\n\n");
            case "tools/call" -> {
                int a = request.at("/params/arguments/a").asInt();
                int b = request.at("/params/arguments/b").asInt();
                // a notification first, then the answer split over two data lines (joined with a newline)
                answer(
                        exchange,
                        200,
                        "text/event-stream",
                        ": keep-alive\n\n"
                                + "data: {\"jsonrpc\":\"2.0\",\"method\":\"notifications/message\","
                                + "\"params\":{\"level\":\"info\",\"data\":\"adding\"}}\n\n"
                                + "event: message\r\ndata: {\"jsonrpc\":\"2.0\",\"id\":" + request.get("id") + ",\r\n"
                                + "data: \"result\":{\"content\":[{\"type\":\"text\",\"text\":\"" + (a + b)
                                + "\"}]}}\r\n\r\n");
            }
            default -> answer(exchange, 202, "text/plain", "");
        }
    }

    private static String response(JsonNode request, String result) {
        return "{\"jsonrpc\":\"2.0\",\"id\":" + request.get("id") + ",\"result\":{" + result + "}}";
    }

    private static void answer(HttpExchange exchange, int status, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", type);
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            exchange.getResponseBody().write(bytes);
        }
        exchange.close();
    }
}
