package dev.devloop.gateway.adapters.in.rest;

import dev.devloop.contracts.logging.LogFields;
import dev.devloop.contracts.problem.Problem;
import dev.devloop.contracts.problem.ProblemResponses;
import dev.devloop.gateway.adapters.in.Audit;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.faulttolerance.exceptions.TimeoutException;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * Security and timeout failures as problem+json, each security decision written to the audit log.
 * (Needs {@code quarkus.http.auth.proactive=false} so authentication failures reach JAX-RS.)
 */
public class SecurityProblemMappers {
    private static final Logger LOG = Logger.getLogger(SecurityProblemMappers.class);

    private static final String BEARER_INVALID = "Bearer error=\"invalid_token\"";
    private static final String BEARER = "Bearer";
    /** jose4j puts the token's claims before this marker and the reason after it; only the reason is logged. */
    private static final String DETAILS = "Additional details:";

    @ServerExceptionMapper
    public Response badToken(AuthenticationFailedException e, HttpServerRequest request) {
        audit(401, "invalid-token", request, e);
        return withChallenge(
                Problem.of(
                        401,
                        "unauthorized",
                        "Unauthorized",
                        "The bearer token is invalid, expired, not yet valid or not meant for this service."),
                BEARER_INVALID);
    }

    @ServerExceptionMapper
    public Response noToken(UnauthorizedException e, HttpServerRequest request) {
        audit(401, "no-token", request, e);
        return withChallenge(
                Problem.of(
                        401,
                        "unauthorized",
                        "Unauthorized",
                        "A bearer token is required: send 'Authorization: Bearer <token>'."),
                BEARER);
    }

    @ServerExceptionMapper
    public Response missingRole(ForbiddenException e, HttpServerRequest request) {
        audit(403, "missing-role", request, e);
        return ProblemResponses.of(
                Problem.of(403, "forbidden", "Forbidden", "The token's roles do not allow this route."));
    }

    @ServerExceptionMapper
    public Response timedOut(TimeoutException e, HttpServerRequest request) {
        LogFields.of("method", request.method(), "path", request.path()).warn(LOG, "downstream timeout");
        return ProblemResponses.of(Problem.of(
                504, "dependency-timeout", "Dependency timed out", "A downstream service did not answer in time."));
    }

    private static Response withChallenge(Problem problem, String challenge) {
        Response response = ProblemResponses.of(problem);
        return Response.fromResponse(response)
                .header(HttpHeaders.WWW_AUTHENTICATE, challenge)
                .build();
    }

    private static void audit(int status, String reason, HttpServerRequest request, Exception e) {
        Audit.deny(
                status,
                reason,
                "method",
                request.method(),
                "path",
                request.path(),
                "remote",
                request.remoteAddress(),
                "cause",
                causeOf(e));
    }

    private static String causeOf(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        String message = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
        int details = message.indexOf(DETAILS);
        if (details >= 0) {
            message = message.substring(details + DETAILS.length()).trim();
        }
        return message.replace('"', '\'').substring(0, Math.min(200, message.length()));
    }
}
