package dev.devloop.gateway.adapters.in.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.devloop.contracts.problem.Problem;
import dev.devloop.gateway.adapters.in.Audit;
import dev.devloop.gateway.config.GatewayConfig;
import io.quarkus.runtime.configuration.MemorySize;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Request bounds answered before anything reads the body or reaches JAX-RS, each with a problem+json body (OpenAI's
 * error shape on the OpenAI-compatible routes): a request target longer than {@code limits.max-uri-length} is 414,
 * headers above {@code limits.max-header-bytes} 431, a declared {@code Content-Length} above the route's bound 413
 * (roadmap import and document batch: {@code limits.max-import-bytes}; GitHub webhooks: {@code github.max-body-bytes}; every other
 * route: {@code hop.max-request-bytes}), and an {@code /api} body sent without {@code Content-Type} 415.
 *
 * <p>Vert.x itself answers a bare 414/431 (no body) for lines and headers above {@code quarkus.http.limits.*}; those
 * hard caps are set above these bounds so every request a client can reasonably send gets the documented answer.
 * A chunked body without {@code Content-Length} is bounded where it is read (the same limits, 413 problem+json).
 */
@ApplicationScoped
public class EdgeLimits {

    /** Before Quarkus' own body-size check (order -2), which answers a bare 413. */
    static final int ORDER = -50;
    /** Right after Quarkus' body-size handler (order -2), which records the hard cap for the body reader. */
    static final int AFTER_QUARKUS_BODY_LIMIT = -1;

    static final String MAX_REQUEST_SIZE = "io.quarkus.max-request-size";
    private static final Pattern IMPORT =
            Pattern.compile("^/api(?:/v[^/]{1,16})?/(?:roadmap/import|documents/batch)/?$");
    private static final Pattern GITHUB =
            Pattern.compile("^/api(?:/v[^/]{1,16})?/integrations/github/(?:[^/]+/)?webhook/?$");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final int maxUriLength;
    private final int maxHeaderBytes;
    private final long maxImportBytes;
    private final long maxGithubBytes;
    private final long maxBodyBytes;

    public EdgeLimits(
            GatewayConfig config,
            @ConfigProperty(name = "quarkus.http.limits.max-body-size") Optional<MemorySize> hardBody,
            @ConfigProperty(name = "quarkus.http.limits.max-initial-line-length") int hardLine,
            @ConfigProperty(name = "quarkus.http.limits.max-header-size") MemorySize hardHeaders) {
        this.maxUriLength = config.limits().maxUriLength();
        this.maxHeaderBytes = config.limits().maxHeaderBytes();
        this.maxImportBytes = config.limits().maxImportBytes();
        this.maxGithubBytes = config.github().maxBodyBytes();
        this.maxBodyBytes = config.hop().maxRequestBytes();
        long largestBody = Math.max(maxImportBytes, Math.max(maxGithubBytes, maxBodyBytes));
        if (hardBody.isPresent() && hardBody.get().asLongValue() < largestBody) {
            throw new IllegalStateException(
                    "quarkus.http.limits.max-body-size must be at least " + largestBody
                            + " bytes (the largest route bound: limits.max-import-bytes, github.max-body-bytes, hop.max-request-bytes)");
        }
        if (hardLine <= maxUriLength + 32) {
            throw new IllegalStateException("quarkus.http.limits.max-initial-line-length must exceed "
                    + "devloop.gateway.limits.max-uri-length (+ method and version), or long URIs get a bare 414");
        }
        if (hardHeaders.asLongValue() <= maxHeaderBytes) {
            throw new IllegalStateException("quarkus.http.limits.max-header-size must exceed "
                    + "devloop.gateway.limits.max-header-bytes, or large headers get a bare 431");
        }
    }

    void install(@Observes Router router) {
        router.route().order(ORDER).handler(this::check);
        router.route().order(AFTER_QUARKUS_BODY_LIMIT).handler(this::boundChunkedBody);
    }

    /**
     * A body without {@code Content-Length} (chunked) is read up to the route's bound, not the 9 MiB hard cap: the
     * per-request limit Quarkus' body reader honours ({@value #MAX_REQUEST_SIZE}) is narrowed to the route's bound
     * right after Quarkus set it to the hard cap.
     */
    private void boundChunkedBody(RoutingContext ctx) {
        HttpServerRequest request = ctx.request();
        if (request.getHeader(HttpHeaders.CONTENT_LENGTH) == null
                && request.getHeader(HttpHeaders.TRANSFER_ENCODING) != null) {
            Object hard = ctx.get(MAX_REQUEST_SIZE);
            long route = maxBodyFor(request.path());
            if (!(hard instanceof Long cap) || route < cap) {
                ctx.put(MAX_REQUEST_SIZE, route);
            }
        }
        ctx.next();
    }

    /** The body bound of the route at {@code path}. */
    long maxBodyFor(String path) {
        if (IMPORT.matcher(path).matches()) {
            return maxImportBytes;
        }
        return GITHUB.matcher(path).matches() ? maxGithubBytes : maxBodyBytes;
    }

    private void check(RoutingContext ctx) {
        HttpServerRequest request = ctx.request();
        String uri = request.uri();
        if (uri.length() > maxUriLength) {
            refuse(
                    ctx,
                    414,
                    "uri-too-long",
                    "URI too long",
                    "the request target must be at most " + maxUriLength + " characters",
                    "uri",
                    false);
            return;
        }
        long headerBytes = 0;
        for (Map.Entry<String, String> header : request.headers()) {
            headerBytes += header.getKey().length() + header.getValue().length() + 4;
        }
        if (headerBytes > maxHeaderBytes) {
            refuse(
                    ctx,
                    431,
                    "headers-too-large",
                    "Request header fields too large",
                    "the request headers must be at most " + maxHeaderBytes + " bytes in all",
                    "headers",
                    false);
            return;
        }
        HttpMethod method = request.method();
        if (method == HttpMethod.POST || method == HttpMethod.PUT || method == HttpMethod.PATCH) {
            String path = request.path();
            long length = contentLength(request.getHeader(HttpHeaders.CONTENT_LENGTH));
            boolean hasBody = length > 0 || request.getHeader(HttpHeaders.TRANSFER_ENCODING) != null;
            if (hasBody && path.startsWith("/api") && request.getHeader(HttpHeaders.CONTENT_TYPE) == null) {
                refuse(
                        ctx,
                        415,
                        "unsupported-media-type",
                        "Unsupported media type",
                        "a request body needs a Content-Type (application/json unless the route says otherwise)",
                        "Content-Type",
                        true);
                return;
            }
            long max = maxBodyFor(path);
            if (length > max) {
                refuse(
                        ctx,
                        413,
                        "payload-too-large",
                        "Payload too large",
                        "the body must be at most " + max + " bytes",
                        "body",
                        true);
                return;
            }
        }
        ctx.next();
    }

    private static long contentLength(String value) {
        if (value == null || value.isEmpty() || value.length() > 18) {
            return value == null || value.isEmpty() ? -1 : Long.MAX_VALUE;
        }
        long n = 0;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < '0' || c > '9') {
                return -1; // Vert.x refuses a malformed Content-Length before this runs
            }
            n = n * 10 + (c - '0');
        }
        return n;
    }

    private static void refuse(
            RoutingContext ctx, int status, String slug, String title, String detail, String field, boolean close) {
        HttpServerRequest request = ctx.request();
        Audit.deny(
                status,
                slug,
                "method",
                request.method(),
                "path",
                request.path().length() > 200 ? request.path().substring(0, 200) + "…" : request.path(),
                "remote",
                request.remoteAddress());
        byte[] body;
        String type;
        if (OpenAiErrors.isOpenAiRoute(request.path())) {
            body = OpenAiErrors.body(status, slug, detail, field);
            type = "application/json";
        } else {
            body = problem(new Problem(Problem.TYPE_BASE + slug, title, status, detail, null, field, null));
            type = Problem.MEDIA_TYPE;
        }
        var response = ctx.response().setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, type);
        if (close) {
            response.putHeader(HttpHeaders.CONNECTION, "close"); // the body is not read
        }
        response.end(Buffer.buffer(body));
    }

    private static byte[] problem(Problem problem) {
        try {
            return JSON.writeValueAsBytes(problem);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
