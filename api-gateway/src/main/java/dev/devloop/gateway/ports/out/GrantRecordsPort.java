package dev.devloop.gateway.ports.out;

import dev.devloop.gateway.domain.GrantRecord;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** The records of issued producer grants, per tenant; each is kept until its grant expires. */
public interface GrantRecordsPort {
    /** Keeps {@code record} until its {@code expiresAt}. */
    void save(GrantRecord record);

    /** The tenant's record of grant {@code id}, if it is still kept. */
    Optional<GrantRecord> find(String tenant, String id);

    /** Up to {@code limit} of the tenant's records of grants live at {@code now}, soonest expiry first, from {@code offset}. */
    List<GrantRecord> list(String tenant, Instant now, int offset, int limit);

    /** Marks the record revoked; false when there is no such record or it was revoked already. */
    boolean markRevoked(String tenant, String id, Instant at, String by);

    /** The store did not answer. */
    final class Unavailable extends RuntimeException {
        public Unavailable(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
