package dev.devloop.gateway.application;

import dev.devloop.contracts.Topics;
import dev.devloop.contracts.events.EventProducers;
import dev.devloop.contracts.events.EventSignatures;
import dev.devloop.gateway.domain.Caller;
import dev.devloop.gateway.ports.in.EventGrant;
import dev.devloop.gateway.ports.in.GatewayRefusal;
import dev.devloop.gateway.ports.in.IssueEventGrantUseCase;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * Issues producer grants (contracts' {@link EventSignatures#grant}) for the caller's own tenant only: a tenant's
 * Kafka producer sends tasks with it, and consumers accept those records only for that tenant and topic.
 */
public final class EventGrantService implements IssueEventGrantUseCase {
    public static final Duration MIN_TTL = Duration.ofSeconds(60);
    public static final Duration MAX_TTL = EventSignatures.MAX_GRANT_LIFETIME;
    public static final Duration DEFAULT_TTL = Duration.ofDays(30);

    private final EventSignatures signatures;
    private final Clock clock;

    public EventGrantService(EventSignatures signatures, Clock clock) {
        this.signatures = signatures;
        this.clock = clock;
    }

    @Override
    public EventGrant issue(Caller caller, String topic, Long ttlSeconds) {
        String granted = topic == null ? Topics.AGENT_TASKS : topic;
        if (!EventProducers.grantable(granted)) {
            throw GatewayRefusal.invalid(
                    "topic",
                    "producer grants are issued for " + Topics.AGENT_TASKS + " only, not '" + clip(granted) + "'");
        }
        Duration ttl = ttlSeconds == null ? DEFAULT_TTL : Duration.ofSeconds(ttlSeconds);
        if (ttl.compareTo(MIN_TTL) < 0 || ttl.compareTo(MAX_TTL) > 0) {
            throw GatewayRefusal.invalid(
                    "ttlSeconds",
                    "ttlSeconds must be between " + MIN_TTL.toSeconds() + " and " + MAX_TTL.toSeconds() + " ("
                            + MAX_TTL.toDays() + " days)");
        }
        // the grant's exp is its iat (whole seconds, now) plus the lifetime: the same instant as here
        Instant issuedAt = Instant.ofEpochSecond(clock.instant().getEpochSecond());
        String grant = signatures.grant(granted, caller.tenant(), caller.subject(), ttl);
        return new EventGrant(grant, EventSignatures.GRANT_HEADER, granted, caller.tenant(), issuedAt.plus(ttl));
    }

    private static String clip(String text) {
        return text.length() <= 128 ? text : text.substring(0, 128) + "…";
    }
}
