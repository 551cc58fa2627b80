package dev.devloop.gateway.adapters.in.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.devloop.contracts.logging.LogFields;
import dev.devloop.gateway.config.GatewayConfig;
import dev.devloop.gateway.domain.Caller;
import dev.devloop.gateway.domain.EventChannel;
import dev.devloop.gateway.domain.LiveEvent;
import dev.devloop.gateway.domain.Roles;
import dev.devloop.gateway.ports.in.EventChannels;
import dev.devloop.gateway.ports.in.LiveEventsUseCase;
import io.smallrye.mutiny.Multi;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;
import java.util.Set;
import java.util.stream.Collectors;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.logging.Logger;

/**
 * {@code GET /api/v1/events}: the caller's tenant's live events as SSE ({@code id} = CloudEvent id,
 * {@code event} = its type, {@code data} = the CloudEvent JSON), on the requested channels only,
 * resumable with {@code Last-Event-ID}.
 */
@Path("/api/v1/events")
@Tag(name = "Live events", description = "The tenant's live events as server-sent events")
public class EventsResource {
    private static final Logger LOG = Logger.getLogger(EventsResource.class);

    static final String LAST_EVENT_ID = "Last-Event-ID";
    private final LiveEventsUseCase liveEvents;
    private final JsonWebToken jwt;
    private final ObjectMapper json;
    private final GatewayConfig config;

    public EventsResource(LiveEventsUseCase liveEvents, JsonWebToken jwt, ObjectMapper json, GatewayConfig config) {
        this.liveEvents = liveEvents;
        this.jwt = jwt;
        this.json = json;
        this.config = config;
    }

    /** Streams live events; {@code channels} is a comma-separated subset of lifecycle,results,tools,health,usage,roadmap. */
    @Operation(summary = "Stream live events (SSE)")
    @APIResponse(responseCode = "200", description = "the live events as text/event-stream")
    @GET
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @RolesAllowed({Roles.VIEWER, Roles.OPERATOR, Roles.ADMIN})
    public Multi<OutboundSseEvent> events(
            @QueryParam("channels") String channels, @HeaderParam(LAST_EVENT_ID) String lastEventId, @Context Sse sse) {
        Caller caller = TokenCallers.from(jwt);
        Set<EventChannel> wanted = EventChannels.parse("channels", channels);
        EventChannels.resumeAfter(LAST_EVENT_ID, lastEventId);
        String tenant = caller.tenant();
        LogFields.of(
                        "tenant",
                        tenant,
                        "subject",
                        caller.subject(),
                        "role",
                        caller.highestRole(),
                        "channels",
                        wanted.stream().map(EventChannel::wireName).collect(Collectors.joining(",")),
                        "resume",
                        lastEventId != null,
                        "decision",
                        "allow")
                .info(LOG, "events stream opened");
        StreamBridge<LiveEvent, OutboundSseEvent> bridge =
                new StreamBridge<>(config.events().maxQueuedPerStream(), event -> toSse(sse, event));
        AutoCloseable subscription = liveEvents.subscribe(tenant, wanted, lastEventId, bridge::offer);
        return Multi.createFrom()
                .<OutboundSseEvent>emitter(
                        emitter -> {
                            emitter.onTermination(() -> close(subscription, tenant));
                            bridge.attach(emitter);
                        },
                        config.events().maxQueuedPerStream());
    }

    private OutboundSseEvent toSse(Sse sse, LiveEvent event) {
        return sse.newEventBuilder()
                .id(event.id())
                .name(event.type())
                .mediaType(MediaType.TEXT_PLAIN_TYPE)
                .data(String.class, singleLine(event.json()))
                .build();
    }

    /** SSE data must not hold line breaks; an event with any is re-written as compact JSON. */
    private String singleLine(String eventJson) {
        if (eventJson.indexOf('\n') < 0 && eventJson.indexOf('\r') < 0) {
            return eventJson;
        }
        try {
            return json.writeValueAsString(json.readTree(eventJson));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a buffered event is no longer valid JSON", e);
        }
    }

    private static void close(AutoCloseable subscription, String tenant) {
        try {
            subscription.close();
            LogFields.of("tenant", tenant).debug(LOG, "events stream closed");
        } catch (Exception e) {
            LogFields.of("tenant", tenant, "error", e).warn(LOG, "events stream close failed");
        }
    }
}
