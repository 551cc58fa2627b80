package dev.devloop.gateway.ports.out;

import java.time.Duration;

/** Which GitHub delivery ids a tenant has accepted (shared by every gateway instance). */
public interface DeliveryClaimsPort {
    /** The state of a claim attempt. */
    enum Claim {
        CLAIMED,
        IN_FLIGHT,
        DONE
    }

    /** Claims {@code deliveryId} for {@code tenant} for {@code pendingTtl}, unless it is claimed or done already. */
    Claim claim(String tenant, String deliveryId, Duration pendingTtl);

    /** Marks a claimed delivery as accepted for {@code window}. */
    void complete(String tenant, String deliveryId, Duration window);

    /** Drops a claim whose delivery could not be published, so GitHub's redelivery is taken. */
    void release(String tenant, String deliveryId);

    /** Thrown when the store cannot answer. */
    final class Unavailable extends RuntimeException {
        public Unavailable(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
