package dev.devloop.migrations;

import java.util.Locale;
import org.eclipse.microprofile.health.HealthCheckResponse;

/**
 * The readiness response of a store's migrations, the same in every service: the state, the applied version and,
 * until they are applied, the reason.
 */
public final class MigrationHealth {
    private MigrationHealth() {}

    /** UP only once the migrations are applied. */
    public static HealthCheckResponse of(String check, MigrationStatus status) {
        return of(check, status, false);
    }

    /**
     * {@code upWhilePending}: UP also while the store has not been reached yet (a service whose core requests do not
     * need that store); a failed or refused migration is DOWN either way.
     */
    public static HealthCheckResponse of(String check, MigrationStatus status, boolean upWhilePending) {
        boolean up = status.ready() || (upWhilePending && status.state() == MigrationStatus.State.PENDING);
        var response = HealthCheckResponse.named(check)
                .status(up)
                .withData("migrations", status.state().name().toLowerCase(Locale.ROOT))
                .withData("version", status.version());
        if (!status.ready()) {
            response.withData("error", status.reason());
        }
        return response.build();
    }
}
