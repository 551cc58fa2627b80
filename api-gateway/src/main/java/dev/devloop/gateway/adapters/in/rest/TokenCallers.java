package dev.devloop.gateway.adapters.in.rest;

import dev.devloop.contracts.Tenants;
import dev.devloop.contracts.problem.Problem;
import dev.devloop.contracts.problem.ProblemException;
import dev.devloop.gateway.domain.Caller;
import io.quarkus.logging.Log;
import jakarta.json.JsonString;
import java.util.Set;
import org.eclipse.microprofile.jwt.JsonWebToken;

/** Turns a verified token into a {@link Caller}; a token without a usable tenant or subject is refused (403). */
public final class TokenCallers {
    static final String TENANT_CLAIM = "tenant";

    private TokenCallers() {}

    public static Caller from(JsonWebToken jwt) {
        String tenant = text(jwt.getClaim(TENANT_CLAIM));
        if (tenant == null || tenant.isBlank()) {
            throw forbidden(TENANT_CLAIM, "the token carries no 'tenant' claim");
        }
        if (!Tenants.PATTERN.matcher(tenant).matches()) {
            throw forbidden(TENANT_CLAIM, "the token's 'tenant' claim must match " + Tenants.PATTERN.pattern());
        }
        String subject = jwt.getSubject();
        if (subject == null || subject.isBlank()) {
            throw forbidden("sub", "the token carries no 'sub' claim");
        }
        Set<String> groups = jwt.getGroups() == null ? Set.of() : jwt.getGroups();
        return new Caller(subject, tenant, groups);
    }

    static ProblemException forbidden(String field, String detail) {
        Log.infof("audit decision=deny status=403 reason=bad-claim claim=%s detail=\"%s\"", field, detail);
        return new ProblemException(
                new Problem(Problem.TYPE_BASE + "forbidden", "Forbidden", 403, detail, null, field, null));
    }

    private static String text(Object claim) {
        if (claim instanceof JsonString json) {
            return json.getString();
        }
        return claim instanceof String s ? s : null;
    }
}
