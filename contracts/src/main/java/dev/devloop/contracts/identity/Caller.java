package dev.devloop.contracts.identity;

import dev.devloop.contracts.Headers;
import dev.devloop.contracts.problem.ProblemException;
import io.quarkus.vertx.http.runtime.CurrentVertxRequest;
import io.vertx.ext.web.RoutingContext;
import jakarta.inject.Singleton;
import java.util.List;
import java.util.Optional;

/**
 * The verified caller of the request being served: resolved once per request by {@link InboundIdentityFilter}
 * from the caller's token, and the only place a resource takes its tenant from. A resource never reads
 * {@code X-Devloop-Tenant} itself (ArchUnit: {@code tenantComesFromTheCaller}).
 */
@Singleton
public class Caller {
    private final CurrentVertxRequest request;

    public Caller(CurrentVertxRequest request) {
        this.request = request;
    }

    /** The tenant this call acts for; 400 naming {@code X-Devloop-Tenant} when the caller's token carries none. */
    public String tenant() {
        return optionalTenant()
                .orElseThrow(() ->
                        ProblemException.badRequest(Headers.TENANT, "the " + Headers.TENANT + " header is required"));
    }

    /** The tenant, for the few routes that also serve platform calls acting for no tenant. */
    public Optional<String> optionalTenant() {
        return identity().map(CallerIdentity::tenant);
    }

    /** The subject the call acts for (a user, or the calling service for its own work), when known. */
    public Optional<String> subject() {
        return identity().map(CallerIdentity::subject);
    }

    public List<String> roles() {
        return identity().map(CallerIdentity::roles).orElse(List.of());
    }

    /** The service that made the call ({@code azp}). */
    public Optional<String> service() {
        return identity().map(CallerIdentity::service);
    }

    private Optional<CallerIdentity> identity() {
        RoutingContext context = request.getCurrent();
        return context == null ? Optional.empty() : Optional.ofNullable(context.get(CallerIdentity.CONTEXT_KEY));
    }
}
