package dev.devloop.gateway.adapters.in.ws;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.devloop.contracts.Topics;
import dev.devloop.gateway.application.LiveEventsService;
import dev.devloop.gateway.support.AgentServiceStub;
import dev.devloop.gateway.support.FlakyCell;
import dev.devloop.gateway.support.LiveKafka;
import dev.devloop.gateway.support.RealServices;
import dev.devloop.gateway.support.Tokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code /ws} with the JDK's WebSocket client, fed by a real Kafka producer: the token from the header,
 * the query or a first message; tenant and channel filtering; resume with {@code lastEventId}; refusals.
 */
@QuarkusTest
@QuarkusTestResource(RealServices.class)
@QuarkusTestResource(FlakyCell.class)
@QuarkusTestResource(AgentServiceStub.class)
class EventsWebSocketTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final AtomicBoolean CONSUMER_READY = new AtomicBoolean();

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @TestHTTPResource("/ws")
    URL ws;

    @Inject
    LiveEventsService liveEvents;

    private LiveKafka kafka;

    @BeforeEach
    void connect() throws Exception {
        kafka = LiveKafka.connect(bootstrap, liveEvents, CONSUMER_READY);
    }

    @AfterEach
    void disconnect() {
        kafka.close();
    }

    /** A real WebSocket client collecting text frames and the close code. */
    static final class Client implements WebSocket.Listener, AutoCloseable {
        final BlockingQueue<JsonNode> frames = new LinkedBlockingQueue<>();
        final CompletableFuture<Integer> closed = new CompletableFuture<>();
        private final StringBuilder partial = new StringBuilder();
        WebSocket socket;

        static Client open(String url, String authorization) throws Exception {
            Client client = new Client();
            WebSocket.Builder builder =
                    HttpClient.newHttpClient().newWebSocketBuilder().connectTimeout(Duration.ofSeconds(10));
            if (authorization != null) {
                builder.header("Authorization", authorization);
            }
            client.socket = builder.buildAsync(URI.create(url), client).get(20, TimeUnit.SECONDS);
            return client;
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                try {
                    frames.add(JSON.readTree(partial.toString()));
                } catch (Exception e) {
                    frames.add(JSON.createObjectNode().put("unparsable", partial.toString()));
                }
                partial.setLength(0);
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            closed.complete(statusCode);
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            closed.completeExceptionally(error);
        }

        JsonNode next(Duration timeout) throws InterruptedException {
            JsonNode frame = frames.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (frame == null) {
                throw new AssertionError("no frame within " + timeout);
            }
            return frame;
        }

        List<JsonNode> drain() {
            List<JsonNode> out = new ArrayList<>();
            frames.drainTo(out);
            return out;
        }

        void send(String text) {
            socket.sendText(text, true).join();
        }

        @Override
        public void close() {
            if (!socket.isOutputClosed()) {
                socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye");
            }
            socket.abort();
        }
    }

    private String url(String query) {
        return ws.toString().replaceFirst("^http", "ws") + (query == null ? "" : "?" + query);
    }

    @Test
    void aQueryTokenClientGetsOnlyItsTenantsEventsOnItsChannels() throws Exception {
        String tenant = Tokens.newTenant();
        String other = Tokens.newTenant();
        try (Client mine = Client.open(url("channels=results&access_token=" + Tokens.valid(tenant, "viewer")), null);
                Client theirs = Client.open(url("channels=results"), "Bearer " + Tokens.valid(other, "viewer"))) {
            JsonNode ready = mine.next(Duration.ofSeconds(10));
            assertThat(ready.path("event").asText()).isEqualTo("ready");
            assertThat(ready.path("tenant").asText()).isEqualTo(tenant);
            assertThat(theirs.next(Duration.ofSeconds(10)).path("event").asText())
                    .isEqualTo("ready");
            await(() -> liveEvents.streams(tenant) == 1 && liveEvents.streams(other) == 1);

            String spawned = id();
            String finished = id();
            String othersRun = id();
            kafka.send(
                    Topics.AGENT_LIFECYCLE,
                    "ag-1",
                    LiveKafka.event(spawned, "dev.devloop.agent.spawned", tenant, "{}"));
            kafka.send(
                    Topics.AGENT_RESULTS,
                    other,
                    LiveKafka.event(othersRun, "dev.devloop.agent.run.finished", other, "{}"));
            kafka.send(
                    Topics.AGENT_RESULTS,
                    tenant,
                    LiveKafka.event(finished, "dev.devloop.agent.run.finished", tenant, "{\"status\":\"COMPLETED\"}"));

            JsonNode event = mine.next(Duration.ofSeconds(30));
            assertThat(event.path("id").asText()).isEqualTo(finished);
            assertThat(event.path("event").asText()).isEqualTo("dev.devloop.agent.run.finished");
            assertThat(event.path("channel").asText()).isEqualTo("results");
            assertThat(event.path("data").path("tenant").asText()).isEqualTo(tenant);
            assertThat(event.path("data").path("data").path("status").asText()).isEqualTo("COMPLETED");
            assertThat(theirs.next(Duration.ofSeconds(30)).path("id").asText()).isEqualTo(othersRun);
            await(() -> liveEvents.buffered(tenant) == 2);
            Thread.sleep(300);
            assertThat(mine.drain())
                    .as("the lifecycle event is on a channel not asked for")
                    .isEmpty();
            assertThat(theirs.drain()).isEmpty();
        }
        await(() -> liveEvents.streams(tenant) == 0);
    }

    @Test
    void aFirstMessageAuthenticatesAndLastEventIdResumes() throws Exception {
        String tenant = Tokens.newTenant();
        String[] ids = {id(), id(), id()};
        for (String id : ids) {
            kafka.send(
                    Topics.AGENT_RESULTS, tenant, LiveKafka.event(id, "dev.devloop.agent.run.finished", tenant, "{}"));
        }
        await(() -> liveEvents.buffered(tenant) == 3);
        try (Client client = Client.open(url("channels=results"), null)) {
            client.send("{\"type\":\"auth\",\"token\":\"" + Tokens.valid(tenant, "operator") + "\",\"lastEventId\":\""
                    + ids[0] + "\"}");
            assertThat(client.next(Duration.ofSeconds(10)).path("event").asText())
                    .isEqualTo("ready");
            assertThat(List.of(
                            client.next(Duration.ofSeconds(10)).path("id").asText(),
                            client.next(Duration.ofSeconds(10)).path("id").asText()))
                    .containsExactly(ids[1], ids[2]);
        }
    }

    @Test
    void badTokensMissingRolesAndSilentClientsAreClosed() throws Exception {
        try (Client client = Client.open(url("access_token=not-a-token"), null)) {
            JsonNode error = client.next(Duration.ofSeconds(10));
            assertThat(error.path("event").asText()).isEqualTo("error");
            assertThat(error.path("status").asInt()).isEqualTo(401);
            assertThat(client.closed.get(10, TimeUnit.SECONDS)).isEqualTo(4401);
        }
        try (Client client = Client.open(url(null), "Bearer " + Tokens.wrongSignature(Tokens.newTenant(), "admin"))) {
            assertThat(client.next(Duration.ofSeconds(10)).path("status").asInt())
                    .isEqualTo(401);
        }
        try (Client client = Client.open(url("access_token=" + Tokens.algNone(Tokens.newTenant(), "admin")), null)) {
            assertThat(client.next(Duration.ofSeconds(10)).path("status").asInt())
                    .isEqualTo(401);
        }
        try (Client client = Client.open(url("access_token=" + Tokens.valid(Tokens.newTenant(), "auditor")), null)) {
            assertThat(client.next(Duration.ofSeconds(10)).path("status").asInt())
                    .isEqualTo(403);
            assertThat(client.closed.get(10, TimeUnit.SECONDS)).isEqualTo(4403);
        }
        try (Client client =
                Client.open(url("channels=secrets&access_token=" + Tokens.valid(Tokens.newTenant(), "viewer")), null)) {
            JsonNode error = client.next(Duration.ofSeconds(10));
            assertThat(error.path("status").asInt()).isEqualTo(400);
            assertThat(error.path("detail").asText()).contains("secrets");
        }
        try (Client silent = Client.open(url(null), null)) {
            JsonNode error = silent.next(Duration.ofSeconds(15));
            assertThat(error.path("status").asInt()).isEqualTo(401);
            assertThat(silent.closed.get(10, TimeUnit.SECONDS)).isEqualTo(4401);
        }
        try (Client garbage = Client.open(url(null), null)) {
            garbage.send("hello");
            assertThat(garbage.next(Duration.ofSeconds(10)).path("status").asInt())
                    .isEqualTo(400);
        }
    }

    private static String id() {
        return UUID.randomUUID().toString();
    }

    private static void await(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within 30 s");
            }
            Thread.sleep(50);
        }
    }
}
