package dev.devloop.gateway.adapters.in.rest;

import dev.devloop.contracts.problem.Problem;
import dev.devloop.contracts.problem.ProblemResponses;
import dev.devloop.gateway.domain.ApiVersionPolicy;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriBuilder;
import java.net.URI;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;

/**
 * API versioning: {@code /api/v{n}/…} and/or {@code X-API-Version: n}. A deprecated version is served by the
 * current routes with {@code Deprecation}, {@code Sunset} and a successor {@code Link}; after its sunset it
 * is 410; an unknown one 404; a header contradicting the path 400. Every API answer says
 * {@code X-API-Version}.
 */
public class ApiVersionFilters {
    static final String HEADER = "X-API-Version";
    private static final String SERVED = "devloop.api.version";
    private static final String DEPRECATED = "devloop.api.deprecated";
    private static final Pattern VERSIONED = Pattern.compile("^/api/v([^/]{1,16})(/.*)?$");
    private static final Pattern API = Pattern.compile("^/api(/.*)?$");

    private final ApiVersionPolicy policy;
    private final Clock clock;

    public ApiVersionFilters(ApiVersionPolicy policy, Clock clock) {
        this.policy = policy;
        this.clock = clock;
    }

    @ServerRequestFilter(preMatching = true)
    public Response version(ContainerRequestContext request) {
        String path = request.getUriInfo().getRequestUri().getRawPath();
        Matcher versioned = VERSIONED.matcher(path);
        String pathVersion;
        String rest;
        if (versioned.matches()) {
            pathVersion = versioned.group(1);
            rest = versioned.group(2) == null ? "" : versioned.group(2);
        } else {
            Matcher api = API.matcher(path);
            if (!api.matches()) {
                return null;
            }
            pathVersion = null;
            rest = api.group(1) == null ? "" : api.group(1);
        }
        ApiVersionPolicy.Decision decision =
                policy.decide(pathVersion, request.getHeaderString(HEADER), clock.instant());
        if (decision instanceof ApiVersionPolicy.Decision.Invalid invalid) {
            return ProblemResponses.of(new Problem(
                    Problem.TYPE_BASE + "invalid-request",
                    "Invalid request",
                    400,
                    invalid.detail(),
                    null,
                    HEADER,
                    null));
        }
        if (decision instanceof ApiVersionPolicy.Decision.Unknown unknown) {
            return Response.fromResponse(ProblemResponses.of(Problem.of(
                            404,
                            "api-version-unknown",
                            "Unknown API version",
                            "API version '" + unknown.version() + "' does not exist; the current one is "
                                    + policy.current())))
                    .header(HEADER, policy.current())
                    .build();
        }
        if (decision instanceof ApiVersionPolicy.Decision.Retired retired) {
            return Response.fromResponse(ProblemResponses.of(Problem.of(
                            410,
                            "api-version-retired",
                            "API version retired",
                            "API version " + retired.version() + " was retired on " + retired.sunset() + "; use /api/v"
                                    + policy.current())))
                    .header("Sunset", httpDate(retired.sunset()))
                    .header("Link", "</api/v" + policy.current() + rest + ">; rel=\"successor-version\"")
                    .header(HEADER, policy.current())
                    .build();
        }
        ApiVersionPolicy.Decision.Serve serve = (ApiVersionPolicy.Decision.Serve) decision;
        request.setProperty(SERVED, serve.version());
        if (serve.deprecated() != null) {
            request.setProperty(DEPRECATED, serve.deprecated());
        }
        String target = "/api/v" + policy.current() + rest;
        if (!target.equals(path)) {
            URI original = request.getUriInfo().getRequestUri();
            request.setRequestUri(
                    UriBuilder.fromUri(original).replacePath(null).path(target).build());
        }
        return null;
    }

    @ServerResponseFilter
    public void headers(ContainerRequestContext request, ContainerResponseContext response) {
        Object served = request.getProperty(SERVED);
        if (served == null) {
            return;
        }
        response.getHeaders().putSingle(HEADER, served.toString());
        if (request.getProperty(DEPRECATED) instanceof ApiVersionPolicy.Deprecated deprecated) {
            response.getHeaders()
                    .putSingle(
                            "Deprecation",
                            deprecated.since() == null
                                    ? "true"
                                    : "@" + deprecated.since().getEpochSecond());
            response.getHeaders().putSingle("Sunset", httpDate(deprecated.sunset()));
            String path = request.getUriInfo().getRequestUri().getRawPath();
            response.getHeaders().add("Link", "<" + path + ">; rel=\"successor-version\"");
        }
    }

    private static String httpDate(java.time.Instant instant) {
        return DateTimeFormatter.RFC_1123_DATE_TIME.format(instant.atOffset(ZoneOffset.UTC));
    }
}
