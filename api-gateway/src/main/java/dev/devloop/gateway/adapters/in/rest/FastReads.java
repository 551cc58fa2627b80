package dev.devloop.gateway.adapters.in.rest;

import dev.devloop.contracts.Headers;
import dev.devloop.contracts.problem.Refusal;
import dev.devloop.gateway.domain.ApiVersionPolicy;
import dev.devloop.gateway.domain.Caller;
import dev.devloop.gateway.domain.HopRequest;
import dev.devloop.gateway.domain.Roles;
import dev.devloop.gateway.domain.Service;
import dev.devloop.gateway.ports.in.CallerClaims;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.vertx.http.runtime.HttpCompressionHandler;
import io.quarkus.vertx.http.runtime.RouteConstants;
import io.quarkus.vertx.http.runtime.security.QuarkusHttpUser;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Handler;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.ws.rs.core.Response;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.LongAdder;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * The hottest authenticated read, {@code GET /api/v1/agent-types} without a query, served by a Vert.x route below
 * RESTEasy (issue #16): the JAX-RS handler chain, its request context, the security interceptor and Mutiny cost more
 * than the read itself. It runs the same application code as the JAX-RS route ({@link ServiceRoutes#readAsync}: rate
 * limit, tenant routing, hop, list page, audit line) with the identity Quarkus' authentication handler already
 * resolves for every request, and writes only what it can write exactly as RESTEasy would: an answer below 400.
 *
 * <p>Everything else goes on to the JAX-RS route, so refusals keep their one implementation: a request with a query,
 * an {@code X-API-Version} header or a version that is not the current one, an anonymous or unverifiable caller, a
 * role not allowed, an unusable claim ({@linkplain #stepAside stepped aside} before anything was counted); and, once
 * the rate limit was counted, a 429, a downstream answer of 400 or more, or a failure ({@linkplain #handOver handed
 * over}: the JAX-RS route answers with that outcome instead of running the read again, through the same exception
 * mappers and response filters).
 */
@ApplicationScoped
public class FastReads {
    static final String PATH = ServiceRoutes.API_PREFIX + "/agent-types";
    /** Before RESTEasy's route; after Quarkus' CORS, authentication, header and edge-limit handlers. */
    static final int ORDER = RouteConstants.ROUTE_ORDER_BEFORE_DEFAULT;
    /** The routing-context key of an outcome handed over to the JAX-RS route. */
    static final String HANDED_OVER = "devloop.fast-read.outcome";

    private static final Set<String> ALLOWED = Set.of(Roles.VIEWER, Roles.OPERATOR, Roles.ADMIN);
    private static final String ROUTE_KEY = "agent-types.list";
    private static final String ROUTE = "GET " + PATH;

    private final ServiceRoutes routes;
    private final ApiVersionPolicy versions;
    private final Clock clock;
    private final boolean compression;
    private final Set<String> compressedTypes;
    private final LongAdder served = new LongAdder();
    private final LongAdder steppedAside = new LongAdder();
    private final LongAdder handedOver = new LongAdder();

    public FastReads(
            ServiceRoutes routes,
            ApiVersionPolicy versions,
            Clock clock,
            MeterRegistry metrics,
            @ConfigProperty(name = "quarkus.http.enable-compression") boolean compression,
            @ConfigProperty(name = "quarkus.http.compress-media-types") List<String> compressedTypes) {
        this.routes = routes;
        this.versions = versions;
        this.clock = clock;
        this.compression = compression;
        this.compressedTypes = Set.copyOf(compressedTypes);
        for (Map.Entry<String, LongAdder> outcome : Map.of(
                        "served", served, "stepped-aside", steppedAside, "handed-over", handedOver)
                .entrySet()) {
            FunctionCounter.builder("devloop_gateway_fast_reads_total", outcome.getValue(), LongAdder::sum)
                    .tag("outcome", outcome.getKey())
                    .description("reads the Vert.x fast route served, left to the JAX-RS route, or handed over to it")
                    .register(metrics);
        }
    }

    void install(@Observes Router router) {
        Handler<RoutingContext> read = this::agentTypes;
        // the JAX-RS route's compression rule (only the configured media types are compressed), here too
        router.get(PATH).order(ORDER).handler(compression ? new HttpCompressionHandler(read, compressedTypes) : read);
    }

    private void agentTypes(RoutingContext ctx) {
        HttpServerRequest request = ctx.request();
        String query = request.query();
        if (!PATH.equals(request.path())
                || query != null && !query.isEmpty()
                || request.headers().contains(ApiVersionFilters.HEADER)
                || !(versions.decide("1", null, clock.instant()) instanceof ApiVersionPolicy.Decision.Serve serve)
                || serve.deprecated() != null) {
            stepAside(ctx);
            return;
        }
        @SuppressWarnings("unchecked")
        Uni<SecurityIdentity> identity = (Uni<SecurityIdentity>) ctx.get(QuarkusHttpUser.DEFERRED_IDENTITY_KEY);
        if (identity == null) {
            stepAside(ctx);
            return;
        }
        Context home = Vertx.currentContext();
        // A failed authentication would otherwise be routed to the failure handler right away; without the handler
        // it is only remembered (the identity is memoized), and the JAX-RS route meets it as it always does.
        Object authFailureHandler = ctx.remove(QuarkusHttpUser.AUTH_FAILURE_HANDLER);
        identity.subscribe()
                .with(
                        who -> onHome(ctx, home, () -> {
                            restore(ctx, authFailureHandler);
                            if (who == null) {
                                stepAside(ctx);
                            } else {
                                authenticated(ctx, home, who, serve);
                            }
                        }),
                        failure -> onHome(ctx, home, () -> {
                            restore(ctx, authFailureHandler);
                            stepAside(ctx);
                        }));
    }

    private void authenticated(
            RoutingContext ctx, Context home, SecurityIdentity identity, ApiVersionPolicy.Decision.Serve serve) {
        if (identity.isAnonymous()
                || !(identity.getPrincipal() instanceof JsonWebToken jwt)
                || ALLOWED.stream().noneMatch(identity::hasRole)) { // @RolesAllowed's check
            stepAside(ctx);
            return;
        }
        Caller caller;
        try {
            caller = CallerClaims.caller(
                    TokenCallers.text(jwt.getClaim(CallerClaims.TENANT_CLAIM)), jwt.getSubject(), jwt.getGroups());
        } catch (Refusal refused) {
            stepAside(ctx); // the JAX-RS route refuses it, with its audit line
            return;
        }
        CompletionStage<Response> answer;
        try {
            answer = routes.readAsync(
                    caller,
                    ROUTE_KEY,
                    ROUTE,
                    HopRequest.read(Service.AGENT, "/agent-types", null),
                    new ServiceRoutes.Shape.Items(null, null, null, null, Integer.MAX_VALUE));
        } catch (RuntimeException e) {
            handOver(ctx, e);
            return;
        }
        answer.whenComplete((response, failure) -> onHome(ctx, home, () -> {
            if (failure != null) {
                handOver(
                        ctx,
                        failure instanceof CompletionException && failure.getCause() != null
                                ? failure.getCause()
                                : failure);
            } else if (!writable(response)) {
                handOver(ctx, response);
            } else {
                write(ctx, response, serve);
            }
        }));
    }

    /** An answer below 400 whose entity is bytes with their type (or none): JAX-RS would add nothing to it. */
    private static boolean writable(Response response) {
        if (response.getStatus() >= 400) {
            return false;
        }
        Object entity = response.getEntity();
        return entity == null || entity instanceof byte[] && response.getHeaderString("Content-Type") != null;
    }

    /** What the JAX-RS route and its response filters write for the same answer. */
    private void write(RoutingContext ctx, Response response, ApiVersionPolicy.Decision.Serve serve) {
        HttpServerResponse out = ctx.response();
        if (out.ended()) {
            return;
        }
        served.increment();
        out.setStatusCode(response.getStatus());
        MultiMap headers = out.headers();
        response.getStringHeaders().forEach((name, values) -> {
            for (String value : values) {
                headers.add(name, value);
            }
        });
        SpanContext span = Span.current().getSpanContext(); // TraceIdResponseFilter
        if (span.isValid()) {
            headers.set(Headers.TRACE_ID, span.getTraceId());
        }
        headers.set(ApiVersionFilters.HEADER, Integer.toString(serve.version())); // ApiVersionFilters.headers
        if (response.getEntity() instanceof byte[] body && body.length > 0) {
            out.end(Buffer.buffer(body));
        } else {
            out.end();
        }
    }

    /** Leaves the request to the JAX-RS route, which decides everything again (nothing was counted yet). */
    private void stepAside(RoutingContext ctx) {
        steppedAside.increment();
        ctx.next();
    }

    /** The JAX-RS route answers with {@code outcome} (a {@link Response} or a {@link Throwable}). */
    private void handOver(RoutingContext ctx, Object outcome) {
        handedOver.increment();
        ctx.put(HANDED_OVER, outcome);
        ctx.next();
    }

    /**
     * The outcome the fast route handed over for this request, as the JAX-RS route's answer, or null when the
     * JAX-RS route is to run the read itself.
     */
    static Uni<Response> handedOver(RoutingContext ctx) {
        Object outcome = ctx == null ? null : ctx.get(HANDED_OVER);
        if (outcome instanceof Response response) {
            return Uni.createFrom().item(response);
        }
        return outcome instanceof Throwable failure ? Uni.createFrom().failure(failure) : null;
    }

    private static void restore(RoutingContext ctx, Object authFailureHandler) {
        if (authFailureHandler != null) {
            ctx.put(QuarkusHttpUser.AUTH_FAILURE_HANDLER, authFailureHandler);
        }
    }

    /**
     * Runs {@code step} on the request's own event loop and context (its trace), where Redis or the hop may not be;
     * a step that breaks before anything was written fails the request (the JAX-RS failure handler answers 500).
     */
    private static void onHome(RoutingContext ctx, Context home, Runnable step) {
        Runnable guarded = () -> {
            try {
                step.run();
            } catch (RuntimeException e) {
                if (!ctx.response().headWritten()) {
                    ctx.fail(e);
                }
            }
        };
        if (home == null || Vertx.currentContext() == home && Context.isOnEventLoopThread()) {
            guarded.run();
        } else {
            home.runOnContext(ignored -> guarded.run());
        }
    }

    long served() {
        return served.sum();
    }

    long steppedAside() {
        return steppedAside.sum();
    }

    long handedOver() {
        return handedOver.sum();
    }
}
