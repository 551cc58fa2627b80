package dev.devloop.gateway.application;

import dev.devloop.contracts.Topics;
import dev.devloop.contracts.events.EventProducers;
import dev.devloop.contracts.events.EventSignatures;
import dev.devloop.contracts.events.GrantRevoked;
import dev.devloop.contracts.problem.Refusal;
import dev.devloop.gateway.domain.Caller;
import dev.devloop.gateway.domain.GrantRecord;
import dev.devloop.gateway.ports.in.EventGrant;
import dev.devloop.gateway.ports.in.EventGrantsUseCase;
import dev.devloop.gateway.ports.out.GrantRecordsPort;
import dev.devloop.gateway.ports.out.PublishGrantRevocationPort;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Issues producer grants (contracts' {@link EventSignatures#issueGrant}) for the caller's own tenant only: a tenant's
 * Kafka producer sends tasks with it, and consumers accept those records only for that tenant and topic — until the
 * grant expires or is revoked. Each grant is recorded (never the token) so a tenant's admins can list and revoke it;
 * a revocation is published on {@code devloop.grants.revocations} before the record says so.
 */
public final class EventGrantService implements EventGrantsUseCase {
    public static final Duration MIN_TTL = Duration.ofSeconds(60);
    public static final Duration MAX_TTL = EventSignatures.MAX_GRANT_LIFETIME;
    public static final Duration DEFAULT_TTL = Duration.ofDays(30);
    private static final Pattern GRANT_ID =
            Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
    private static final Pattern CURSOR = Pattern.compile("[0-9]{1,6}");

    /** Page bounds of {@link #list}. */
    public record Paging(int defaultSize, int maxSize) {}

    private final EventSignatures signatures;
    private final GrantRecordsPort records;
    private final PublishGrantRevocationPort revocations;
    private final Paging paging;
    private final Clock clock;

    public EventGrantService(
            EventSignatures signatures,
            GrantRecordsPort records,
            PublishGrantRevocationPort revocations,
            Paging paging,
            Clock clock) {
        this.signatures = signatures;
        this.records = records;
        this.revocations = revocations;
        this.paging = paging;
        this.clock = clock;
    }

    @Override
    public EventGrant issue(Caller caller, String topic, Long ttlSeconds) {
        String granted = topic == null ? Topics.AGENT_TASKS : topic;
        if (!EventProducers.grantable(granted)) {
            throw Refusal.invalid(
                    "topic",
                    "producer grants are issued for " + Topics.AGENT_TASKS + " only, not '" + clip(granted) + "'");
        }
        Duration ttl = ttlSeconds == null ? DEFAULT_TTL : Duration.ofSeconds(ttlSeconds);
        if (ttl.compareTo(MIN_TTL) < 0 || ttl.compareTo(MAX_TTL) > 0) {
            throw Refusal.invalid(
                    "ttlSeconds",
                    "ttlSeconds must be between " + MIN_TTL.toSeconds() + " and " + MAX_TTL.toSeconds() + " ("
                            + MAX_TTL.toDays() + " days)");
        }
        Instant issuedAt = Instant.ofEpochSecond(clock.instant().getEpochSecond());
        EventSignatures.IssuedGrant grant = signatures.issueGrant(granted, caller.tenant(), caller.subject(), ttl);
        GrantRecord record = new GrantRecord(
                grant.id(),
                caller.tenant(),
                caller.subject(),
                granted,
                caller.subject(),
                issuedAt,
                grant.expiresAt(),
                null,
                null);
        try {
            records.save(record);
        } catch (GrantRecordsPort.Unavailable e) {
            // a grant that could not be recorded could not be revoked either: it is not handed out
            throw unavailable(e);
        }
        return new EventGrant(
                grant.id(), grant.token(), EventSignatures.GRANT_HEADER, granted, caller.tenant(), grant.expiresAt());
    }

    @Override
    public Page list(Caller caller, String cursor, Integer limit) {
        int size = limit == null ? paging.defaultSize() : limit;
        if (size < 1 || size > paging.maxSize()) {
            throw Refusal.invalid("limit", "limit must be between 1 and " + paging.maxSize());
        }
        if (cursor != null && !CURSOR.matcher(cursor).matches()) {
            throw Refusal.invalid("cursor", "cursor must be a nextCursor of a previous page");
        }
        int offset = cursor == null ? 0 : Integer.parseInt(cursor);
        List<GrantRecord> page;
        try {
            page = records.list(caller.tenant(), clock.instant(), offset, size + 1);
        } catch (GrantRecordsPort.Unavailable e) {
            throw unavailable(e);
        }
        if (page.size() <= size) {
            return new Page(page, null);
        }
        return new Page(page.subList(0, size), Integer.toString(offset + size));
    }

    @Override
    public Revocation revoke(Caller caller, String id) {
        if (id == null || !GRANT_ID.matcher(id).matches()) {
            throw Refusal.invalid("id", "id must be a grant id (a lower-case UUID)");
        }
        try {
            GrantRecord record = records.find(caller.tenant(), id)
                    .orElseThrow(() -> new Refusal(
                            Refusal.Reason.NOT_FOUND,
                            "grant-not-found",
                            "Grant not found",
                            "no live grant '" + id + "' for this tenant",
                            "id"));
            if (record.revoked()) {
                return new Revocation(record, false);
            }
            try {
                revocations.publish(
                        new GrantRevoked(id, record.tenant(), record.subject(), record.expiresAt(), caller.subject()));
            } catch (PublishGrantRevocationPort.Unavailable e) {
                throw new Refusal(
                        Refusal.Reason.UNAVAILABLE,
                        "grant-revocation-unavailable",
                        "Revocation not published",
                        "the revocation was not acknowledged by Kafka; the grant is still live, retry",
                        null);
            }
            Instant at = clock.instant();
            records.markRevoked(caller.tenant(), id, at, caller.subject());
            return new Revocation(record.revoke(at, caller.subject()), true);
        } catch (GrantRecordsPort.Unavailable e) {
            throw unavailable(e);
        }
    }

    private static Refusal unavailable(GrantRecordsPort.Unavailable e) {
        return new Refusal(
                Refusal.Reason.UNAVAILABLE,
                "grant-store-unavailable",
                "Grant records unavailable",
                "the grant records (Redis) did not answer",
                null);
    }

    private static String clip(String text) {
        return text.length() <= 128 ? text : text.substring(0, 128) + "…";
    }
}
