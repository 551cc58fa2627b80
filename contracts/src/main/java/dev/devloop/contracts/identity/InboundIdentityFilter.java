package dev.devloop.contracts.identity;

import dev.devloop.contracts.Headers;
import dev.devloop.contracts.problem.Problem;
import dev.devloop.contracts.problem.ProblemResponses;
import io.quarkus.vertx.http.runtime.filters.Filters;
import io.vertx.core.MultiMap;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Singleton;
import java.util.List;

/**
 * The one place a service learns who calls it: every request outside the open paths must carry a token this
 * service verifies; the tenant and subject headers the rest of the service reads are then set from the verified
 * token, so a forged {@code X-Devloop-Tenant} changes nothing. Runs on the event loop before any route.
 */
@Singleton
public class InboundIdentityFilter {
    /** Before every route and every other filter. */
    static final int PRIORITY = 10_000;

    void register(@Observes Filters filters, IdentityConfig config, Instance<ServiceTokenVerifier> verifier) {
        if (!config.inbound()) {
            return;
        }
        ServiceTokenVerifier checked = verifier.get(); // at start: a service without keys fails here, not on a request
        List<String> open = List.copyOf(config.openPaths());
        filters.register(context -> admit(context, checked, open), PRIORITY);
    }

    static void admit(RoutingContext context, ServiceTokenVerifier verifier, List<String> openPaths) {
        MultiMap headers = context.request().headers();
        String path = context.normalizedPath();
        for (String open : openPaths) {
            if (path.startsWith(open)) {
                headers.remove(Headers.TENANT);
                headers.remove(Headers.SUBJECT);
                context.next();
                return;
            }
        }
        CallerIdentity caller;
        try {
            caller = verifier.verify(headers.get("Authorization"));
        } catch (IdentityRefusal refusal) {
            refuse(context, refusal);
            return;
        }
        headers.remove(Headers.TENANT);
        headers.remove(Headers.SUBJECT);
        if (caller.tenant() != null) {
            headers.set(Headers.TENANT, caller.tenant());
        }
        headers.set(Headers.SUBJECT, caller.subject());
        context.put(CallerIdentity.CONTEXT_KEY, caller);
        context.next();
    }

    private static void refuse(RoutingContext context, IdentityRefusal refusal) {
        boolean unauthenticated = refusal.status() == 401;
        Problem problem = Problem.of(
                        refusal.status(),
                        unauthenticated ? "unauthenticated" : "forbidden",
                        unauthenticated ? "Unauthenticated" : "Forbidden",
                        refusal.getMessage())
                .withInstance(context.normalizedPath());
        var response = context.response().setStatusCode(refusal.status()).putHeader("Content-Type", Problem.MEDIA_TYPE);
        if (unauthenticated) {
            response.putHeader("WWW-Authenticate", "Bearer realm=\"devloop-cell\"");
        }
        response.end(ProblemResponses.json(problem));
    }
}
