package dev.devloop.gateway.adapters.in.rest;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.devloop.contracts.Headers;
import dev.devloop.contracts.problem.Problem;
import dev.devloop.contracts.problem.ProblemException;
import dev.devloop.contracts.problem.ProblemResponses;
import dev.devloop.gateway.adapters.in.Audit;
import dev.devloop.gateway.config.GatewayConfig;
import dev.devloop.gateway.domain.Caller;
import dev.devloop.gateway.domain.DownstreamResponse;
import dev.devloop.gateway.domain.HopRequest;
import dev.devloop.gateway.domain.RateLimitDecision;
import dev.devloop.gateway.domain.Service;
import dev.devloop.gateway.domain.StreamedAnswer;
import dev.devloop.gateway.ports.in.ForwardResult;
import dev.devloop.gateway.ports.in.RateLimitUseCase;
import dev.devloop.gateway.ports.in.RouteServiceCallsUseCase;
import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.quarkus.arc.ClientProxy;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * What every forwarded route does: the caller from the token, its rate limit for the route, the call to
 * the service in the tenant's cell (tenant header from the token only), {@code fields=} and cursor pages
 * on the answer, the audit line, and the answer with its status passed through.
 */
@ApplicationScoped
public class ServiceRoutes {

    static final String API_PREFIX = "/api/v1";
    private static final Pattern IDEMPOTENCY_KEY = Pattern.compile("[\\x21-\\x7E]{1,255}");

    private final RouteServiceCallsUseCase routes;
    private final RateLimitUseCase rateLimits;
    private final JsonWebToken jwt;
    private final ObjectMapper json;
    private final GatewayConfig config;
    private final MeterRegistry metrics;
    /** The hashes of recent list filters (≤ 1 024) that cursors carry. */
    private final FilterHashes filterHashes = new FilterHashes(1024);

    public ServiceRoutes(
            RouteServiceCallsUseCase routes,
            RateLimitUseCase rateLimits,
            JsonWebToken jwt,
            ObjectMapper json,
            GatewayConfig config,
            MeterRegistry metrics) {
        this.metrics = metrics;
        // the beans themselves, not their client proxies: a proxy looks its bean up on every call of the hot reads
        this.routes = ClientProxy.unwrap(routes);
        this.rateLimits = ClientProxy.unwrap(rateLimits);
        this.jwt = jwt;
        this.json = json;
        this.config = config;
    }

    /** How the answer of a route is shaped before it goes back. */
    sealed interface Shape {
        /** Passed through unchanged. */
        record AsIs() implements Shape {}

        /** An object: {@code fields=} applies. */
        record Item(String fields) implements Shape {}

        /** A list (a JSON array, or {@code arrayField} of an object): cursor pages and {@code fields=} apply. */
        record Items(String fields, Integer limit, String cursor, String arrayField, int downstreamMax)
                implements Shape {}

        /**
         * A list the service pages itself by keyset ({@code limit}, {@code after}, {@code X-Devloop-Next-After}):
         * the gateway's cursor wraps the service's key, so a list of any length pages to its end.
         */
        record Keyset(String fields, Integer limit, String cursor) implements Shape {}
    }

    static Shape asIs() {
        return new Shape.AsIs();
    }

    static Shape item(String fields) {
        return new Shape.Item(fields);
    }

    /** Forwards a call without a body. */
    Response call(String routeKey, String route, HopRequest request, Shape shape) {
        return call(routeKey, route, request, null, shape);
    }

    /**
     * Forwards {@code request} for the caller; {@code idempotencyKey} applies to POSTs. Bodies larger than
     * {@code devloop.gateway.hop.max-request-bytes} are refused (413 naming {@code body}).
     */
    Response call(String routeKey, String route, HopRequest request, String idempotencyKey, Shape shape) {
        return call(
                routeKey, route, request, idempotencyKey, shape, config.hop().maxRequestBytes());
    }

    /** As {@link #call(String, String, HopRequest, String, Shape)} with the route's own body bound (roadmap import). */
    Response call(
            String routeKey, String route, HopRequest request, String idempotencyKey, Shape shape, int maxBodyBytes) {
        Caller caller = TokenCallers.from(jwt);
        checkBodySize(request, maxBodyBytes);
        if (idempotencyKey != null && !IDEMPOTENCY_KEY.matcher(idempotencyKey).matches()) {
            throw ProblemException.badRequest(
                    Headers.IDEMPOTENCY_KEY, Headers.IDEMPOTENCY_KEY + " must be 1 to 255 visible ASCII characters");
        }
        Prepared prepared = prepare(request, shape);
        RateLimitDecision limit = rateLimits.check(caller, routeKey);
        if (!limit.allowed()) {
            return tooManyRequests(route, caller, limit);
        }
        ForwardResult result = routes.forward(caller, prepared.sent(), idempotencyKey);
        return respond(route, caller, request, prepared, limit, result.response(), result.replayed());
    }

    /**
     * The event-loop fast path of a read (no body, no Idempotency-Key): the same checks, rate limit, hop, shaping,
     * audit line and headers as {@link #call(String, String, HopRequest, Shape)}, and no thread waits: the rate
     * limit is one non-blocking Redis script call and the hop a non-blocking Vert.x exchange. Validation problems are
     * thrown before anything is sent; later failures fail the {@link Uni} with the same exceptions (and mappers).
     */
    Uni<Response> read(String routeKey, String route, HopRequest request, Shape shape) {
        CompletionStage<Response> answer = readAsync(TokenCallers.from(jwt), routeKey, route, request, shape);
        return Uni.createFrom()
                .completionStage(answer)
                .onFailure(e -> e instanceof CompletionException && e.getCause() != null)
                .transform(Throwable::getCause);
    }

    /**
     * {@link #read} for a caller already known, without Mutiny and without the request-scoped token: what the Vert.x
     * fast route ({@link FastReads}) runs. Validation problems are thrown; later failures complete the stage
     * exceptionally (wrapped in a {@link CompletionException} when they happen inside a stage).
     */
    CompletionStage<Response> readAsync(Caller caller, String routeKey, String route, HopRequest request, Shape shape) {
        checkBodySize(request, config.hop().maxRequestBytes());
        Prepared prepared = prepare(request, shape);
        // the request's trace context, made current again where the hop's headers are built (after Redis answered)
        Context trace = Context.current();
        RateLimitDecision leased = rateLimits.checkLeased(caller, routeKey);
        if (leased != null) { // a token of a live lease: no counter call, no stage to wait on
            return forwardRead(caller, route, request, prepared, leased, trace);
        }
        return rateLimits.checkAsync(caller, routeKey).thenCompose(limit -> {
            if (!limit.allowed()) {
                return CompletableFuture.completedFuture(tooManyRequests(route, caller, limit));
            }
            return forwardRead(caller, route, request, prepared, limit, trace);
        });
    }

    private CompletionStage<Response> forwardRead(
            Caller caller,
            String route,
            HopRequest request,
            Prepared prepared,
            RateLimitDecision limit,
            Context trace) {
        CompletionStage<DownstreamResponse> hop;
        try (Scope scope = trace.makeCurrent()) {
            hop = routes.forwardAsync(caller, prepared.sent());
        }
        return hop.thenApply(answer -> respond(route, caller, request, prepared, limit, answer, false));
    }

    /** What a route asks of the answer and what is sent downstream (with the page's limit). */
    private record Prepared(
            HopRequest sent, Shape shape, Set<String> fields, ListShaper.Page page, ListShaper.KeysetPage keysetPage) {}

    private Prepared prepare(HopRequest request, Shape shape) {
        Set<String> fields = null;
        if (shape instanceof Shape.Item item) {
            fields = ListShaper.fields(item.fields(), config.lists().maxFields());
        } else if (shape instanceof Shape.Items items) {
            fields = ListShaper.fields(items.fields(), config.lists().maxFields());
        } else if (shape instanceof Shape.Keyset keyset) {
            fields = ListShaper.fields(keyset.fields(), config.lists().maxFields());
        }
        ListShaper.Page page = null;
        HopRequest sent = request;
        if (shape instanceof Shape.Items items) {
            page = ListShaper.page(
                    items.limit(),
                    items.cursor(),
                    config.lists().defaultPageSize(),
                    config.lists().maxPageSize(),
                    filterHashes.of(request.service().id() + request.path() + "?" + request.query()));
            if (items.downstreamMax() < Integer.MAX_VALUE) {
                String limit = "limit=" + page.fetch(items.downstreamMax());
                sent = new HopRequest(
                        request.service(),
                        request.method(),
                        request.path(),
                        request.query() == null ? limit : request.query() + "&" + limit,
                        request.body(),
                        request.contentType(),
                        request.idempotent(),
                        request.longRunning());
            }
        }
        ListShaper.KeysetPage keysetPage = null;
        if (shape instanceof Shape.Keyset keyset) {
            keysetPage = ListShaper.keysetPage(
                    keyset.limit(),
                    keyset.cursor(),
                    config.lists().defaultPageSize(),
                    config.lists().maxPageSize(),
                    filterHashes.of(request.service().id() + request.path() + "?" + request.query()));
            String paging = keysetPage.downstreamQuery();
            sent = new HopRequest(
                    request.service(),
                    request.method(),
                    request.path(),
                    request.query() == null ? paging : request.query() + "&" + paging,
                    request.body(),
                    request.contentType(),
                    request.idempotent(),
                    request.longRunning());
        }
        return new Prepared(sent, shape, fields, page, keysetPage);
    }

    private Response respond(
            String route,
            Caller caller,
            HopRequest request,
            Prepared prepared,
            RateLimitDecision limit,
            DownstreamResponse answer,
            boolean replayed) {
        Audit.forwarded(route, request.service().id(), caller, answer.status(), "replayed", replayed);
        Response.ResponseBuilder response = Response.status(answer.status());
        byte[] body = shaped(answer, prepared.shape(), prepared.fields(), prepared.page(), prepared.keysetPage());
        if (body.length > 0) {
            response.entity(body);
            if (answer.contentType() != null) {
                response.header(HttpHeaders.CONTENT_TYPE, answer.contentType());
            }
        }
        String location = publicLocation(request.service(), answer.location());
        if (location != null) {
            response.header(HttpHeaders.LOCATION, location);
        }
        if (replayed) {
            response.header(AgentRoutesResource.REPLAYED, "true");
        }
        return withLimitHeaders(response, limit).build();
    }

    private static void checkBodySize(HopRequest request, int maxBodyBytes) {
        if (request.body().length > maxBodyBytes) {
            throw new ProblemException(new Problem(
                    Problem.TYPE_BASE + "payload-too-large",
                    "Payload too large",
                    413,
                    "the body must be at most " + maxBodyBytes + " bytes",
                    null,
                    "body",
                    null));
        }
    }

    static Response tooManyRequests(String route, Caller caller, RateLimitDecision limit) {
        Audit.rateLimited(route, caller, limit);
        Response problem = ProblemResponses.of(Problem.of(
                429,
                "rate-limited",
                "Too many requests",
                "at most " + limit.limit() + " requests per window on this route; retry in " + limit.resetSeconds()
                        + " s"));
        return withLimitHeaders(Response.fromResponse(problem), limit)
                .header(HttpHeaders.RETRY_AFTER, limit.resetSeconds())
                .build();
    }

    /**
     * Relays a streamed answer (SSE) chunk by chunk as it arrives: the caller, body bound and rate limit are
     * checked before anything is sent; an answer that is not a 2xx {@code text/event-stream} (a problem before
     * the first chunk) passes through whole with its status. A client that goes away ends the downstream call;
     * a downstream that breaks off mid-stream gets an {@code error} event and {@code [DONE]}.
     */
    Response stream(String routeKey, String route, HopRequest request) {
        Caller caller = TokenCallers.from(jwt);
        checkBodySize(request, config.hop().maxRequestBytes());
        RateLimitDecision limit = rateLimits.check(caller, routeKey);
        if (!limit.allowed()) {
            return tooManyRequests(route, caller, limit);
        }
        StreamedAnswer answer = routes.stream(caller, request);
        boolean eventStream = answer.contentType() != null
                && MediaType.valueOf(answer.contentType()).isCompatible(MediaType.SERVER_SENT_EVENTS_TYPE);
        if (answer.status() / 100 != 2 || !eventStream) {
            byte[] body;
            try (answer) {
                body = answer.readAll(config.hop().maxResponseBytes());
            } catch (IOException e) {
                throw ProblemException.unavailable(
                        request.service().id() + "-unavailable",
                        request.service().id() + " broke off its answer: " + e.getMessage());
            }
            Audit.forwarded(route, request.service().id(), caller, answer.status(), "streamed", "false");
            Response.ResponseBuilder response = Response.status(answer.status());
            if (body.length > 0) {
                response.entity(body);
                if (answer.contentType() != null) {
                    response.header(HttpHeaders.CONTENT_TYPE, answer.contentType());
                }
            }
            return withLimitHeaders(response, limit).build();
        }
        Audit.allow(
                "route stream opened",
                caller,
                "route",
                route,
                "service",
                request.service().id(),
                "status",
                answer.status());
        StreamingOutput relay =
                output -> relay(answer, output, request.service().id());
        return withLimitHeaders(Response.status(answer.status()).entity(relay), limit)
                .header(HttpHeaders.CONTENT_TYPE, answer.contentType())
                .header("X-Accel-Buffering", "no")
                .build();
    }

    private void relay(StreamedAnswer answer, OutputStream output, String service) {
        String outcome = "completed";
        byte[] buffer = new byte[8192];
        try (answer) {
            while (true) {
                int n;
                try {
                    n = answer.body().read(buffer);
                } catch (IOException e) {
                    outcome = "downstream-failed";
                    Log.warnf("%s stream broke off: %s", service, e.getMessage());
                    writeQuietly(
                            output,
                            ("data: {\"error\":{\"message\":\"" + service + " broke off the stream\","
                                            + "\"type\":\"api_error\",\"param\":null,\"code\":\"dependency_unavailable\"}}\n\ndata: [DONE]\n\n")
                                    .getBytes(StandardCharsets.UTF_8));
                    break;
                }
                if (n < 0) {
                    break;
                }
                try {
                    output.write(buffer, 0, n);
                    output.flush();
                } catch (IOException | RuntimeException clientGone) {
                    outcome = "client-closed";
                    break;
                }
            }
        } finally {
            metrics.counter("devloop_gateway_streams_total", "service", service, "outcome", outcome)
                    .increment();
        }
    }

    private static void writeQuietly(OutputStream output, byte[] bytes) {
        try {
            output.write(bytes);
            output.flush();
        } catch (IOException | RuntimeException ignored) {
            // the client is gone too
        }
    }

    private byte[] shaped(
            DownstreamResponse answer,
            Shape shape,
            Set<String> fields,
            ListShaper.Page page,
            ListShaper.KeysetPage keysetPage) {
        byte[] body = answer.bodyView(); // read only: passed on as is, or a page built from it
        boolean jsonOk = answer.status() / 100 == 2
                && body.length > 0
                && answer.contentType() != null
                && isJson(answer.contentType());
        if (!jsonOk) {
            return body;
        }
        try {
            if (shape instanceof Shape.Items items) {
                return ListShaper.listPage(json, body, items.arrayField(), page, fields, items.downstreamMax());
            }
            if (shape instanceof Shape.Keyset) {
                return ListShaper.keysetList(json, body, keysetPage, fields, answer.nextAfter());
            }
            return shape instanceof Shape.Item ? ListShaper.object(json, body, fields) : body;
        } catch (IOException e) {
            Log.warnf("could not shape a downstream answer, passed on as is: %s", e.getMessage());
            return body;
        }
    }

    /** Whether each content type seen is JSON: siblings answer with a handful of them; parsing one costs a map lookup. */
    private final Map<String, Boolean> jsonTypes = new ConcurrentHashMap<>();

    private static final int MAX_JSON_TYPES = 64;

    private static final String JSON = MediaType.APPLICATION_JSON;

    private boolean isJson(String contentType) {
        if (contentType.startsWith(JSON)
                && (contentType.length() == JSON.length() || contentType.charAt(JSON.length()) == ';')) {
            return true; // what the siblings send: no map lookup (a hash of a new string per answer otherwise)
        }
        Boolean known = jsonTypes.get(contentType);
        if (known != null) {
            return known;
        }
        boolean json = MediaType.valueOf(contentType).isCompatible(MediaType.APPLICATION_JSON_TYPE);
        if (jsonTypes.size() < MAX_JSON_TYPES) {
            jsonTypes.put(contentType, json);
        }
        return json;
    }

    /** A downstream {@code Location} path under the public prefix ({@code /v1/...} of provider-gateway loses its {@code /v1}). */
    static String publicLocation(Service service, String location) {
        if (location == null || !location.startsWith("/")) {
            return null;
        }
        String path = service == Service.PROVIDER && location.startsWith("/v1/") ? location.substring(3) : location;
        return API_PREFIX + path;
    }

    static Response.ResponseBuilder withLimitHeaders(Response.ResponseBuilder response, RateLimitDecision limit) {
        return response.header("RateLimit-Limit", limit.limit())
                .header("RateLimit-Remaining", limit.remaining())
                .header("RateLimit-Reset", limit.resetSeconds());
    }
}
