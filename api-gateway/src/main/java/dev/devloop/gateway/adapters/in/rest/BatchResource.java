package dev.devloop.gateway.adapters.in.rest;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.devloop.contracts.identity.CellTls;
import dev.devloop.contracts.problem.ProblemException;
import dev.devloop.gateway.adapters.in.Audit;
import dev.devloop.gateway.config.GatewayConfig;
import dev.devloop.gateway.domain.Caller;
import dev.devloop.gateway.domain.RateLimitDecision;
import dev.devloop.gateway.domain.Roles;
import dev.devloop.gateway.ports.in.RateLimitUseCase;
import io.quarkus.runtime.annotations.RegisterForReflection;
import io.smallrye.common.annotation.Blocking;
import io.vertx.core.http.HttpServerRequest;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.regex.Pattern;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * {@code POST /api/v1/batch}: many small reads in one round trip. Each sub-request is a GET of an
 * {@code /api/v1/...} path, sent back through this gateway with the caller's own token, so every one is
 * authorised, rate-limited, tenant-scoped and shaped exactly like a direct call. At most
 * {@code devloop.gateway.lists.max-batch} sub-requests, {@code batch-parallelism} at once, each bounded by
 * {@code batch-item-timeout}; answers come back in request order.
 */
@Path("/api/v1/batch")
@Blocking
@Tag(name = "Batch", description = "Many small reads in one round trip")
public class BatchResource {

    private static final Pattern ID = Pattern.compile("[A-Za-z0-9_.:-]{1,64}");
    private static final Pattern PATH = Pattern.compile("/api/v1/[A-Za-z0-9_.~%/:@!$&'()*+,;=?-]{1,2040}");
    private static final String SHAPE = "{\"requests\":[{\"id\":…,\"path\":\"/api/v1/…\"}]}";
    private static final Set<String> REFUSED = Set.of("/api/v1/batch", "/api/v1/events");

    private final JsonWebToken jwt;
    private final RateLimitUseCase rateLimits;
    private final ObjectMapper json;
    private final GatewayConfig config;
    private final HttpClient http;

    public BatchResource(
            JsonWebToken jwt, RateLimitUseCase rateLimits, ObjectMapper json, GatewayConfig config, CellTls cellTls) {
        this.jwt = jwt;
        this.rateLimits = rateLimits;
        this.json = json;
        this.config = config;
        HttpClient.Builder http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1);
        // with mTLS this gateway's own port is HTTPS with the cell's certificate
        cellTls.sslContext().ifPresent(http::sslContext);
        this.http = http.build();
    }

    /** The body: the reads, each a GET of an {@code /api/v1/...} path. */
    @RegisterForReflection
    public record BatchBody(List<BatchRequest> requests) {}

    /** One read; {@code id} defaults to its index, {@code method} to (and must be) GET. */
    @RegisterForReflection
    public record BatchRequest(
            String id, @Schema(defaultValue = "GET") String method, String path) {}

    /** The answer: one per read, in request order. */
    @RegisterForReflection
    public record BatchAnswer(List<BatchItemAnswer> responses) {}

    /** A read's status and body (its JSON, its text, or a problem when the read failed). */
    @RegisterForReflection
    public record BatchItemAnswer(
            String id,
            int status,

            @Schema(type = SchemaType.OBJECT, description = "the read's answer")
            Object body) {}

    /** Body {@code {"requests":[{"id":"a","path":"/api/v1/..."}]}} → {@code {"responses":[{"id","status","body"}]}}. */
    @Operation(summary = "Run many reads in one round trip")
    @APIResponse(
            responseCode = "200",
            description = "each sub-request's status and body, in request order",
            content = @Content(schema = @Schema(implementation = BatchAnswer.class)))
    @POST
    @RequestBody(content = @Content(schema = @Schema(implementation = BatchBody.class)))
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @RolesAllowed({Roles.VIEWER, Roles.OPERATOR, Roles.ADMIN})
    public ObjectNode batch(
            @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
            byte[] body,
            @Context HttpServerRequest server)
            throws InterruptedException {
        Caller caller = TokenCallers.from(jwt);
        List<String[]> items = parse(StrictBodies.read(body, BatchBody.class, SHAPE));
        RateLimitDecision limit = rateLimits.check(caller, "batch");
        if (!limit.allowed()) {
            Audit.rateLimited("POST /api/v1/batch", caller, limit);
            throw new ProblemException(dev.devloop.contracts.problem.Problem.of(
                    429,
                    "rate-limited",
                    "Too many requests",
                    "at most " + limit.limit() + " batches per window; retry in " + limit.resetSeconds() + " s"));
        }
        // over TLS the name must be one the cell's certificate holds: localhost (the pod's address is in none)
        String base = server.isSSL()
                ? "https://localhost:" + server.localAddress().port()
                : "http://" + hostOf(server) + ":" + server.localAddress().port();
        Semaphore slots = new Semaphore(config.lists().batchParallelism());
        List<CompletableFuture<ObjectNode>> answers = new ArrayList<>();
        for (String[] item : items) {
            slots.acquire();
            HttpRequest request = HttpRequest.newBuilder(URI.create(base + item[1]))
                    .timeout(config.lists().batchItemTimeout())
                    .header(HttpHeaders.AUTHORIZATION, authorization)
                    .header(HttpHeaders.ACCEPT, MediaType.APPLICATION_JSON)
                    .GET()
                    .build();
            answers.add(http.sendAsync(request, HttpResponse.BodyHandlers.ofByteArray())
                    .handle((response, error) -> {
                        slots.release();
                        return answer(item[0], response, error);
                    }));
        }
        ArrayNode responses = json.createArrayNode();
        answers.forEach(answer -> responses.add(answer.join()));
        Audit.allow("batch served", caller, "requests", items.size());
        ObjectNode out = json.createObjectNode();
        out.set("responses", responses);
        return out;
    }

    private ObjectNode answer(String id, HttpResponse<byte[]> response, Throwable error) {
        ObjectNode node = json.createObjectNode().put("id", id);
        if (error != null) {
            boolean timedOut = error instanceof java.net.http.HttpTimeoutException
                    || error.getCause() instanceof java.net.http.HttpTimeoutException;
            node.put("status", timedOut ? 504 : 502);
            ObjectNode problem = node.putObject("body");
            problem.put(
                    "type",
                    dev.devloop.contracts.problem.Problem.TYPE_BASE
                            + (timedOut ? "dependency-timeout" : "batch-item-failed"));
            problem.put("title", timedOut ? "Dependency timed out" : "Bad gateway");
            problem.put("status", timedOut ? 504 : 502);
            return node;
        }
        node.put("status", response.statusCode());
        byte[] bytes = response.body();
        String type = response.headers().firstValue(HttpHeaders.CONTENT_TYPE).orElse("");
        if (bytes.length > 0 && type.contains("json")) {
            try {
                node.set("body", json.readTree(bytes));
                return node;
            } catch (IOException e) {
                // passed on as text below
            }
        }
        if (bytes.length > 0) {
            node.put("body", new String(bytes, java.nio.charset.StandardCharsets.UTF_8));
        }
        return node;
    }

    private List<String[]> parse(BatchBody body) {
        if (body == null || body.requests() == null) {
            throw ProblemException.badRequest("requests", "a body " + SHAPE + " is required");
        }
        List<BatchRequest> requests = body.requests();
        int max = config.lists().maxBatch();
        if (requests.isEmpty() || requests.size() > max) {
            throw ProblemException.badRequest("requests", "requests must hold 1 to " + max + " items");
        }
        List<String[]> items = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < requests.size(); i++) {
            BatchRequest r = requests.get(i);
            String field = "requests[" + i + "]";
            if (r == null) {
                throw ProblemException.badRequest(field, "each request is {id?, method?, path}");
            }
            String id = r.id() == null ? Integer.toString(i) : r.id();
            if (!ID.matcher(id).matches() || !ids.add(id)) {
                throw ProblemException.badRequest(field + ".id", "ids are unique and match " + ID.pattern());
            }
            String method = r.method() == null ? "GET" : r.method();
            if (!"GET".equals(method)) {
                throw ProblemException.badRequest(field + ".method", "a batch holds reads only (GET)");
            }
            String path = r.path();
            if (path == null || !PATH.matcher(path).matches() || path.contains("..") || path.contains("//")) {
                throw ProblemException.badRequest(
                        field + ".path", "path must be an /api/v1/... path of at most 2048 characters");
            }
            String bare = path.contains("?") ? path.substring(0, path.indexOf('?')) : path;
            if (REFUSED.contains(bare.endsWith("/") ? bare.substring(0, bare.length() - 1) : bare)) {
                throw ProblemException.badRequest(field + ".path", "batches and event streams cannot be batched");
            }
            items.add(new String[] {id, path});
        }
        return items;
    }

    private static String hostOf(HttpServerRequest server) {
        String host = server.localAddress().host();
        if (host == null || host.isBlank() || "0.0.0.0".equals(host) || "::".equals(host)) {
            return "127.0.0.1";
        }
        return host.contains(":") ? "[" + host + "]" : host;
    }
}
