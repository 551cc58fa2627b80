package dev.devloop.gateway.application;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.devloop.contracts.problem.Refusal;
import dev.devloop.gateway.domain.EventChannel;
import dev.devloop.gateway.domain.LiveEvent;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Tenant isolation, channel filtering, bounded buffers and Last-Event-ID resume of the live-event fan-out. */
class LiveEventsServiceTest {
    private final LiveEventsService service = new LiveEventsService(3, 2, 2);

    private static LiveEvent event(String id, String tenant, EventChannel channel) {
        return new LiveEvent(id, "dev.devloop.test." + channel.wireName(), tenant, channel, "{\"id\":\"" + id + "\"}");
    }

    private static List<String> ids(List<LiveEvent> events) {
        return events.stream().map(LiveEvent::id).toList();
    }

    @Test
    void aSubscriberSeesOnlyItsTenantAndItsChannels() throws Exception {
        List<LiveEvent> seen = new ArrayList<>();
        try (AutoCloseable sub =
                service.subscribe("a", Set.of(EventChannel.RESULTS, EventChannel.HEALTH), null, seen::add)) {
            service.publish(event("1", "a", EventChannel.RESULTS));
            service.publish(event("2", "b", EventChannel.RESULTS));
            service.publish(event("3", "a", EventChannel.TOOLS));
            service.publish(event("4", "a", EventChannel.HEALTH));
        }
        service.publish(event("5", "a", EventChannel.RESULTS));
        assertThat(ids(seen)).containsExactly("1", "4");
    }

    @Test
    void resumeReplaysOnlyLaterBufferedEventsOfTheRequestedChannels() throws Exception {
        service.publish(event("1", "a", EventChannel.RESULTS));
        service.publish(event("2", "a", EventChannel.TOOLS));
        service.publish(event("3", "a", EventChannel.RESULTS));
        service.publish(event("x", "b", EventChannel.RESULTS));
        List<LiveEvent> seen = new ArrayList<>();
        try (AutoCloseable sub = service.subscribe("a", Set.of(EventChannel.RESULTS), "1", seen::add)) {
            service.publish(event("4", "a", EventChannel.RESULTS));
        }
        assertThat(ids(seen)).containsExactly("3", "4");
    }

    @Test
    void anUnknownLastEventIdReplaysNothing() throws Exception {
        service.publish(event("1", "a", EventChannel.RESULTS));
        List<LiveEvent> seen = new ArrayList<>();
        try (AutoCloseable sub = service.subscribe("a", EnumSet.allOf(EventChannel.class), "gone", seen::add)) {
            assertThat(seen).isEmpty();
        }
    }

    @Test
    void theBufferKeepsOnlyTheLastEventsPerTenant() {
        for (int i = 1; i <= 5; i++) {
            service.publish(event(Integer.toString(i), "a", EventChannel.RESULTS));
        }
        assertThat(service.buffered("a")).isEqualTo(3);
        List<LiveEvent> seen = new ArrayList<>();
        service.subscribe("a", Set.of(EventChannel.RESULTS), "1", seen::add);
        assertThat(seen).as("event 1 fell out of the buffer").isEmpty();
        service.subscribe("a", Set.of(EventChannel.RESULTS), "3", seen::add);
        assertThat(ids(seen)).containsExactly("4", "5");
    }

    @Test
    void idleTenantsAreDroppedBeyondTheTenantBound() {
        service.publish(event("1", "a", EventChannel.RESULTS));
        service.publish(event("2", "b", EventChannel.RESULTS));
        service.publish(event("3", "c", EventChannel.RESULTS));
        assertThat(service.buffered("a")).isZero();
        assertThat(service.buffered("c")).isEqualTo(1);
    }

    @Test
    void streamsPerTenantAreBounded() throws Exception {
        AutoCloseable first = service.subscribe("a", Set.of(EventChannel.RESULTS), null, e -> {});
        service.subscribe("a", Set.of(EventChannel.RESULTS), null, e -> {});
        assertThatThrownBy(() -> service.subscribe("a", Set.of(EventChannel.RESULTS), null, e -> {}))
                .isInstanceOf(Refusal.class)
                .satisfies(e -> assertThat(((Refusal) e).problem().status()).isEqualTo(429));
        service.subscribe("b", Set.of(EventChannel.RESULTS), null, e -> {});
        first.close();
        assertThat(service.streams("a")).isEqualTo(1);
        service.subscribe("a", Set.of(EventChannel.RESULTS), null, e -> {});
    }
}
