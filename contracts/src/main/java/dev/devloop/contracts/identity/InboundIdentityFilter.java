package dev.devloop.contracts.identity;

import dev.devloop.contracts.Headers;
import dev.devloop.contracts.problem.Problem;
import dev.devloop.contracts.problem.ProblemResponses;
import io.quarkus.vertx.http.runtime.filters.Filters;
import io.vertx.core.MultiMap;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Singleton;
import java.security.cert.Certificate;
import java.util.LinkedHashMap;
import java.util.List;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;

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
        List<String> openAi = List.copyOf(config.openAiErrorPaths().orElse(List.of()));
        ClientCertificates.Mode certificates = config.clientCertificate();
        filters.register(context -> admit(context, checked, open, openAi, certificates), PRIORITY);
    }

    static void admit(
            RoutingContext context,
            ServiceTokenVerifier verifier,
            List<String> openPaths,
            List<String> openAiPaths,
            ClientCertificates.Mode certificates) {
        MultiMap headers = context.request().headers();
        String path = context.normalizedPath();
        if (startsWithAny(path, openPaths)) {
            headers.remove(Headers.TENANT);
            headers.remove(Headers.SUBJECT);
            context.next();
            return;
        }
        CallerIdentity caller;
        try {
            caller = verifier.verify(headers.get("Authorization"));
            ClientCertificates.check(peerCertificates(context), caller.service(), certificates);
        } catch (IdentityRefusal refusal) {
            refuse(context, refusal, startsWithAny(context.normalizedPath(), openAiPaths));
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

    private static List<Certificate> peerCertificates(RoutingContext context) {
        SSLSession session = context.request().isSSL() ? context.request().sslSession() : null;
        if (session == null) {
            return List.of();
        }
        try {
            return List.of(session.getPeerCertificates());
        } catch (SSLPeerUnverifiedException e) {
            return List.of();
        }
    }

    private static boolean startsWithAny(String path, List<String> prefixes) {
        for (String prefix : prefixes) {
            if (path.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }

    private static void refuse(RoutingContext context, IdentityRefusal refusal, boolean openAiShape) {
        boolean unauthenticated = refusal.status() == 401;
        if (openAiShape) {
            var error = new LinkedHashMap<String, Object>();
            error.put("message", refusal.getMessage());
            error.put("type", unauthenticated ? "authentication_error" : "permission_error");
            error.put("param", null);
            error.put("code", unauthenticated ? "invalid_api_key" : "wrong_audience");
            context.response()
                    .setStatusCode(refusal.status())
                    .putHeader("Content-Type", "application/json")
                    .end(new JsonObject().put("error", new JsonObject(error)).encode());
            return;
        }
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
