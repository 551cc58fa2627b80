package dev.devloop.gateway.adapters.in.ws;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.devloop.contracts.logging.LogFields;
import dev.devloop.contracts.problem.Refusal;
import dev.devloop.gateway.adapters.in.Audit;
import dev.devloop.gateway.adapters.in.ClaimText;
import dev.devloop.gateway.config.GatewayConfig;
import dev.devloop.gateway.domain.Caller;
import dev.devloop.gateway.domain.EventChannel;
import dev.devloop.gateway.domain.LiveEvent;
import dev.devloop.gateway.ports.in.CallerClaims;
import dev.devloop.gateway.ports.in.EventChannels;
import dev.devloop.gateway.ports.in.LiveEventsUseCase;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import io.quarkus.websockets.next.CloseReason;
import io.quarkus.websockets.next.OnClose;
import io.quarkus.websockets.next.OnOpen;
import io.quarkus.websockets.next.OnTextMessage;
import io.quarkus.websockets.next.WebSocket;
import io.quarkus.websockets.next.WebSocketConnection;
import io.smallrye.jwt.auth.principal.JWTParser;
import io.smallrye.jwt.auth.principal.ParseException;
import io.vertx.core.Vertx;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.jboss.logging.Logger;

/**
 * {@code /ws}: the same live events as the SSE stream, over a WebSocket. The token comes from the
 * upgrade's {@code Authorization: Bearer} header, an {@code access_token} query parameter, or a first
 * message {@code {"type":"auth","token":…}} sent within {@code devloop.gateway.ws.auth-timeout}.
 * {@code channels} and {@code lastEventId} come from the query or that message. Each event is one text
 * frame {@code {"id":…,"event":<type>,"channel":…,"data":<CloudEvent>}}; control frames are
 * {@code {"event":"ready",…}} and {@code {"event":"error","status":…,"detail":…}} (then a close with
 * code 4000 + the HTTP status).
 */
@WebSocket(path = "/ws")
public class EventsSocket {
    private static final Logger LOG = Logger.getLogger(EventsSocket.class);

    private static final int BEHIND = 4408;

    private final LiveEventsUseCase liveEvents;
    private final JWTParser parser;
    private final ObjectMapper json;
    private final GatewayConfig config;
    private final Vertx vertx;
    private final Map<String, Session> sessions = new ConcurrentHashMap<>();
    private final AtomicInteger open = new AtomicInteger();

    public EventsSocket(
            LiveEventsUseCase liveEvents,
            JWTParser parser,
            ObjectMapper json,
            GatewayConfig config,
            Vertx vertx,
            MeterRegistry metrics) {
        this.liveEvents = liveEvents;
        this.parser = parser;
        this.json = json;
        this.config = config;
        this.vertx = vertx;
        metrics.gauge("devloop_gateway_ws_connections", open);
    }

    /** One connection: its subscription once authenticated, and how many frames are still being written. */
    private static final class Session {
        volatile AutoCloseable subscription;
        volatile long authTimer = -1;
        final AtomicInteger inFlight = new AtomicInteger();
    }

    @OnOpen
    public void onOpen(WebSocketConnection connection) {
        open.incrementAndGet();
        Session session = new Session();
        sessions.put(connection.id(), session);
        Map<String, String> query = query(connection.handshakeRequest().query());
        String header = connection.handshakeRequest().header("Authorization");
        String token = header != null && header.regionMatches(true, 0, "Bearer ", 0, 7)
                ? header.substring(7).trim()
                : query.get("access_token");
        if (token != null) {
            start(connection, session, token, query.get("channels"), query.get("lastEventId"));
            return;
        }
        session.authTimer = vertx.setTimer(config.ws().authTimeout().toMillis(), id -> {
            if (session.subscription == null && connection.isOpen()) {
                fail(connection, 401, "unauthorized", "no token: send {\"type\":\"auth\",\"token\":\"…\"} first");
            }
        });
    }

    @OnTextMessage
    public void onMessage(WebSocketConnection connection, String message) {
        Session session = sessions.get(connection.id());
        if (session == null || session.subscription != null) {
            return;
        }
        if (message.length() > config.ws().maxMessageBytes()) {
            fail(
                    connection,
                    400,
                    "bad-request",
                    "message larger than " + config.ws().maxMessageBytes() + " bytes");
            return;
        }
        JsonNode auth;
        try {
            auth = json.readTree(message);
        } catch (Exception e) {
            fail(connection, 400, "bad-request", "the first message must be JSON {\"type\":\"auth\",\"token\":…}");
            return;
        }
        if (!auth.isObject()
                || !"auth".equals(auth.path("type").asText())
                || !auth.path("token").isTextual()) {
            fail(connection, 400, "bad-request", "the first message must be {\"type\":\"auth\",\"token\":…}");
            return;
        }
        Map<String, String> query = query(connection.handshakeRequest().query());
        String channels =
                auth.path("channels").isTextual() ? auth.path("channels").asText() : query.get("channels");
        String lastEventId =
                auth.path("lastEventId").isTextual() ? auth.path("lastEventId").asText() : query.get("lastEventId");
        if (session.authTimer >= 0) {
            vertx.cancelTimer(session.authTimer);
        }
        start(connection, session, auth.path("token").asText(), channels, lastEventId);
    }

    @OnClose
    public void onClose(WebSocketConnection connection) {
        open.decrementAndGet();
        Session session = sessions.remove(connection.id());
        if (session == null) {
            return;
        }
        if (session.authTimer >= 0) {
            vertx.cancelTimer(session.authTimer);
        }
        if (session.subscription != null) {
            try {
                session.subscription.close();
            } catch (Exception e) {
                Log.warnf("ws subscription close failed: %s", e);
            }
        }
    }

    private void start(
            WebSocketConnection connection, Session session, String token, String channels, String lastEventId) {
        Caller caller;
        try {
            JsonWebToken jwt = parser.parse(token);
            caller = CallerClaims.caller(
                    ClaimText.text(jwt.getClaim(CallerClaims.TENANT_CLAIM)), jwt.getSubject(), jwt.getGroups());
        } catch (ParseException e) {
            Audit.deny(
                    401,
                    "invalid-token",
                    "path",
                    "/ws",
                    "remote",
                    connection.handshakeRequest().remoteAddress());
            fail(
                    connection,
                    401,
                    "unauthorized",
                    "the token is invalid, expired, not yet valid or not meant for this service");
            return;
        } catch (Refusal e) {
            Audit.deny(403, "bad-claim", "claim", e.field(), "detail", e.detail());
            refuse(connection, e);
            return;
        }
        if (caller.highestRole() == null) {
            Audit.deny(403, "missing-role", "path", "/ws", "tenant", caller.tenant(), "subject", caller.subject());
            fail(connection, 403, "forbidden", "the token's roles do not allow live events");
            return;
        }
        Set<EventChannel> wanted;
        String resume;
        try {
            wanted = EventChannels.parse("channels", channels);
            resume = EventChannels.resumeAfter("lastEventId", lastEventId);
        } catch (Refusal e) {
            refuse(connection, e);
            return;
        }
        String names = wanted.stream().map(EventChannel::wireName).collect(Collectors.joining(","));
        ObjectNode ready = json.createObjectNode()
                .put("event", "ready")
                .put("tenant", caller.tenant())
                .put("channels", names);
        connection.sendText(ready.toString()).subscribe().with(ok -> {}, err -> {});
        try {
            session.subscription =
                    liveEvents.subscribe(caller.tenant(), wanted, resume, event -> send(connection, session, event));
        } catch (Refusal e) {
            // the only refusal of a subscription is the per-tenant stream quota (HTTP's 429 → close code 4429)
            refuse(connection, e);
            return;
        }
        LogFields.of(
                        "tenant",
                        caller.tenant(),
                        "subject",
                        caller.subject(),
                        "role",
                        caller.highestRole(),
                        "channels",
                        names,
                        "resume",
                        resume != null,
                        "decision",
                        "allow")
                .info(LOG, "ws stream opened");
        if (!connection.isOpen()) {
            onClose(connection);
        }
    }

    private void send(WebSocketConnection connection, Session session, LiveEvent event) {
        if (session.inFlight.incrementAndGet() > config.events().maxQueuedPerStream()) {
            fail(
                    connection,
                    408,
                    "too-slow",
                    "the connection fell more than " + config.events().maxQueuedPerStream()
                            + " events behind; reconnect with lastEventId");
            return;
        }
        String frame;
        try {
            ObjectNode node = json.createObjectNode()
                    .put("id", event.id())
                    .put("event", event.type())
                    .put("channel", event.channel().wireName());
            node.set("data", json.readTree(event.json()));
            frame = json.writeValueAsString(node);
        } catch (Exception e) {
            session.inFlight.decrementAndGet();
            Log.warnf("ws event %s not sent: %s", event.id(), e.getMessage());
            return;
        }
        connection
                .sendText(frame)
                .subscribe()
                .with(ok -> session.inFlight.decrementAndGet(), err -> session.inFlight.decrementAndGet());
    }

    /** A use case's refusal, from the same fields as its problem+json: close code 4000 + status, reason = slug. */
    private void refuse(WebSocketConnection connection, Refusal e) {
        fail(connection, e.reason().status(), e.slug(), e.detail());
    }

    private void fail(WebSocketConnection connection, int status, String reason, String detail) {
        ObjectNode error = json.createObjectNode()
                .put("event", "error")
                .put("status", status)
                .put("reason", reason)
                .put("detail", detail);
        int code = status == 408 ? BEHIND : 4000 + status;
        connection
                .sendText(error.toString())
                .onTermination()
                .call(() -> connection.close(new CloseReason(code, reason)))
                .subscribe()
                .with(ok -> {}, err -> {});
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> params = new HashMap<>();
        if (raw == null || raw.isEmpty()) {
            return params;
        }
        for (String pair : raw.split("&", 16)) {
            int eq = pair.indexOf('=');
            String name = eq < 0 ? pair : pair.substring(0, eq);
            String value = eq < 0 ? "" : pair.substring(eq + 1);
            try {
                params.putIfAbsent(
                        URLDecoder.decode(name, StandardCharsets.UTF_8),
                        URLDecoder.decode(value, StandardCharsets.UTF_8));
            } catch (IllegalArgumentException e) {
                // a malformed pair is ignored
            }
        }
        return params;
    }
}
