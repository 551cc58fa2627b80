package dev.devloop.gateway.adapters.in.rest;

import dev.devloop.contracts.Headers;
import dev.devloop.gateway.adapters.in.ClaimText;
import dev.devloop.gateway.config.GatewayConfig;
import dev.devloop.gateway.domain.ApiVersionPolicy;
import dev.devloop.gateway.domain.Caller;
import dev.devloop.gateway.ports.in.CallerClaims;
import dev.devloop.gateway.ports.in.VerifiedCallers;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.quarkus.arc.ClientProxy;
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
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * The hot forwarded reads ({@link HotReads}, one row each) served by Vert.x routes below RESTEasy (issue #16): the
 * JAX-RS handler chain, its request context, the security interceptor and Mutiny cost more than the read itself.
 * One handler serves every row: the row's roles, its query parameters (only the names it declares, each at most
 * once, checked by the row's own code, a count as {@link StrictParams} parses it) and its {@link HotReads#call}, then
 * the same application code as the JAX-RS route ({@link ServiceRoutes#readAsync}: rate limit, tenant routing, hop,
 * list page, audit line) with the identity Quarkus' authentication handler already resolves for every request. It
 * writes only what it can write exactly as RESTEasy would: an answer below 400.
 *
 * <p>Everything else goes on to the JAX-RS route, so refusals keep their one implementation: an encoded or
 * trailing-slash path, a query name the row does not take (or twice), a malformed value, an {@code X-API-Version}
 * header or a version that is not the current one, an anonymous or unverifiable caller, a role not allowed, an
 * unusable claim ({@linkplain #stepAside stepped aside} before anything was counted); and, once the rate limit was
 * counted, a 429, a downstream answer of 400 or more, or a failure ({@linkplain #handOver handed over}: the JAX-RS
 * route answers with that outcome instead of running the read again, through the same exception mappers and
 * response filters). {@code devloop.gateway.fast-reads.enabled=false} leaves every read to RESTEasy.
 */
@ApplicationScoped
public class FastReads {
    /** Before RESTEasy's route; after Quarkus' CORS, authentication, header and edge-limit handlers. */
    static final int ORDER = RouteConstants.ROUTE_ORDER_BEFORE_DEFAULT;
    /** The routing-context key of an outcome handed over to the JAX-RS route. */
    static final String HANDED_OVER = "devloop.fast-read.outcome";
    /** The request-context local Quarkus' tracer and HTTP metrics read a route's template from. */
    private static final String URL_PATH_TEMPLATE = "UrlPathTemplate";

    private static final String BEARER = "Bearer ";

    private final ServiceRoutes routes;
    private final VerifiedCallers verifiedCallers;
    private final ApiVersionPolicy versions;
    private final Clock clock;
    private final boolean enabled;
    private final boolean compression;
    private final Set<String> compressedTypes;
    private final LongAdder served = new LongAdder();
    private final LongAdder steppedAside = new LongAdder();
    private final LongAdder handedOver = new LongAdder();
    private final LongAdder knownCallers = new LongAdder();
    private final Map<HotReads, Timer> servedTimers = new EnumMap<>(HotReads.class);
    private final Map<HotReads, Timer> handedOverTimers = new EnumMap<>(HotReads.class);

    public FastReads(
            ServiceRoutes routes,
            VerifiedCallers verifiedCallers,
            ApiVersionPolicy versions,
            Clock clock,
            MeterRegistry metrics,
            GatewayConfig config,
            @ConfigProperty(name = "quarkus.http.enable-compression") boolean compression,
            @ConfigProperty(name = "quarkus.http.compress-media-types") List<String> compressedTypes) {
        // the beans, not their client proxies (a context lookup per call otherwise)
        this.routes = ClientProxy.unwrap(routes);
        this.verifiedCallers = ClientProxy.unwrap(verifiedCallers);
        this.versions = versions;
        this.clock = clock;
        this.enabled = config.fastReads().enabled();
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
        FunctionCounter.builder("devloop_gateway_fast_read_known_callers_total", knownCallers, LongAdder::sum)
                .description("reads whose caller came from the verified-token cache, without the authentication chain")
                .register(metrics);
        for (HotReads row : HotReads.values()) { // registered once: no lookup per request
            servedTimers.put(row, timer(metrics, row, "served"));
            handedOverTimers.put(row, timer(metrics, row, "handed-over"));
        }
    }

    private static Timer timer(MeterRegistry metrics, HotReads row, String outcome) {
        return Timer.builder("devloop_gateway_fast_read_seconds")
                .description(
                        "a hot read on the fast route, from its arrival to its answer (served) or to the hand-over")
                .tag("route", row.template())
                .tag("outcome", outcome)
                .register(metrics);
    }

    void install(@Observes Router router) {
        if (!enabled) {
            return;
        }
        for (HotReads row : HotReads.values()) {
            Handler<RoutingContext> read = ctx -> read(ctx, row);
            // the JAX-RS route's compression rule (only the configured media types are compressed), here too
            router.get(row.vertxPath())
                    .order(ORDER)
                    .handler(compression ? new HttpCompressionHandler(read, compressedTypes) : read);
        }
    }

    private void read(RoutingContext ctx, HotReads row) {
        long start = System.nanoTime();
        HttpServerRequest request = ctx.request();
        String path = request.path();
        if (path.indexOf('%') >= 0
                || path.endsWith("/")
                || !path.equals(ctx.normalizedPath())
                || request.headers().contains(ApiVersionFilters.HEADER)
                || !(versions.decide("1", null, clock.instant()) instanceof ApiVersionPolicy.Decision.Serve serve)
                || serve.deprecated() != null) {
            stepAside(ctx);
            return;
        }
        Map<String, List<String>> query = queryOf(ctx, row);
        if (query == null) {
            stepAside(ctx);
            return;
        }
        Context home = Vertx.currentContext();
        if (home != null) {
            // the route template RESTEasy records for OpenTelemetry's span name and Micrometer's uri tag, here too
            home.putLocal(URL_PATH_TEMPLATE, row.template());
        }
        Caller known = knownCaller(request);
        if (known != null) {
            knownCallers.increment();
            // a token verified moments ago: the same caller the chain below would make, without its Uni stages
            if (row.roles().stream().noneMatch(known.roles()::contains)) { // @RolesAllowed's check
                stepAside(ctx);
            } else {
                authorized(ctx, home, row, query, known, serve, start);
            }
            return;
        }
        @SuppressWarnings("unchecked")
        Uni<SecurityIdentity> identity = (Uni<SecurityIdentity>) ctx.get(QuarkusHttpUser.DEFERRED_IDENTITY_KEY);
        if (identity == null) {
            stepAside(ctx);
            return;
        }
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
                                authenticated(ctx, home, row, query, who, serve, start);
                            }
                        }),
                        failure -> onHome(ctx, home, () -> {
                            restore(ctx, authFailureHandler);
                            stepAside(ctx);
                        }));
    }

    /**
     * The request's query parameters when the row takes each of them, once, as {@code name=value}; else null (JAX-RS
     * decides). A query with {@code ;} or {@code +} is left to JAX-RS too: decoders disagree on those, answers must not.
     */
    private static Map<String, List<String>> queryOf(RoutingContext ctx, HotReads row) {
        String raw = ctx.request().query();
        if (raw == null || raw.isEmpty()) {
            return Map.of();
        }
        if (raw.indexOf(';') >= 0 || raw.indexOf('+') >= 0) {
            return null;
        }
        for (String pair : raw.split("&", -1)) {
            if (pair.indexOf('=') <= 0) { // "a", "=b", "a&&b": whether JAX-RS sees a value is its own business
                return null;
            }
        }
        Map<String, List<String>> query;
        try {
            query = new QueryStringDecoder(raw, false).parameters();
        } catch (RuntimeException malformed) {
            return null;
        }
        for (Map.Entry<String, List<String>> param : query.entrySet()) {
            if (!row.queryNames().contains(param.getKey()) || param.getValue().size() != 1) {
                return null;
            }
        }
        return query;
    }

    private void authenticated(
            RoutingContext ctx,
            Context home,
            HotReads row,
            Map<String, List<String>> query,
            SecurityIdentity identity,
            ApiVersionPolicy.Decision.Serve serve,
            long start) {
        if (identity.isAnonymous()
                || !(identity.getPrincipal() instanceof JsonWebToken jwt)
                || row.roles().stream().noneMatch(identity::hasRole)) { // @RolesAllowed's check
            stepAside(ctx);
            return;
        }
        Caller caller;
        try {
            caller = CallerClaims.caller(
                    ClaimText.text(jwt.getClaim(CallerClaims.TENANT_CLAIM)), jwt.getSubject(), jwt.getGroups());
        } catch (RuntimeException refused) {
            stepAside(ctx); // a bad claim: the JAX-RS route refuses it, with its audit line
            return;
        }
        authorized(ctx, home, row, query, caller, serve, start);
    }

    /**
     * The caller of a single {@code Authorization: Bearer} token the verified-token cache still holds, or null (the
     * deferred identity decides, as for every other request).
     */
    private Caller knownCaller(HttpServerRequest request) {
        List<String> authorization = request.headers().getAll("Authorization");
        if (authorization.size() != 1) {
            return null;
        }
        String value = authorization.get(0);
        if (value.length() <= BEARER.length() || !value.startsWith(BEARER)) {
            return null;
        }
        return verifiedCallers.known(value.substring(BEARER.length()));
    }

    /** The read of an authenticated caller holding one of the row's roles. */
    private void authorized(
            RoutingContext ctx,
            Context home,
            HotReads row,
            Map<String, List<String>> query,
            Caller caller,
            ApiVersionPolicy.Decision.Serve serve,
            long start) {
        HotReads.Call call;
        try {
            call = row.call(new RequestValues(ctx, query));
        } catch (RuntimeException refused) {
            stepAside(ctx); // a bad value: the JAX-RS route refuses it with its 400
            return;
        }
        CompletionStage<Response> answer;
        try {
            answer = routes.readAsync(caller, row.routeKey(), row.route(), call.request(), call.shape());
        } catch (RuntimeException e) {
            handOver(ctx, row, e, start);
            return;
        }
        answer.whenComplete((response, failure) -> onHome(ctx, home, () -> {
            if (failure != null) {
                handOver(
                        ctx,
                        row,
                        failure instanceof CompletionException && failure.getCause() != null
                                ? failure.getCause()
                                : failure,
                        start);
            } else if (!writable(response)) {
                handOver(ctx, row, response, start);
            } else {
                servedTimers.get(row).record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
                write(ctx, response, serve);
            }
        }));
    }

    /** A request's values as the Vert.x route has them: decoded path parameters and the single query values. */
    private record RequestValues(RoutingContext ctx, Map<String, List<String>> query) implements HotReads.Values {
        @Override
        public String path(String name) {
            return ctx.pathParam(name);
        }

        @Override
        public String text(String name) {
            List<String> values = query.get(name);
            return values == null ? null : values.get(0);
        }

        @Override
        public Integer count(String name) {
            String value = text(name);
            return value == null ? null : (int) StrictParams.parseCount(name, value, Integer.MAX_VALUE);
        }
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
            out.end(Buffer.buffer(Unpooled.wrappedBuffer(body))); // the answer's own bytes, not a copy
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
    private void handOver(RoutingContext ctx, HotReads row, Object outcome, long start) {
        handedOver.increment();
        handedOverTimers.get(row).record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
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

    long knownCallers() {
        return knownCallers.sum();
    }
}
