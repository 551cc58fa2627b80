package dev.devloop.gateway.adapters.in.rest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.devloop.contracts.identity.CellTls;
import dev.devloop.gateway.config.GatewayConfig;
import dev.devloop.gateway.domain.CellRouting;
import dev.devloop.gateway.domain.Service;
import io.quarkus.logging.Log;
import io.smallrye.common.annotation.Blocking;
import io.vertx.core.http.HttpServerRequest;
import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * {@code GET /api/v1/openapi}: one OpenAPI document of the public API. Every gateway route that forwards
 * to a service carries that service's own operation (request body, answers, schemas from its
 * {@code /q/openapi}, schemas prefixed with the service name), minus the parameters the public route does not take
 * (the tenant header the gateway sets, the services' own keyset {@code after}),
 * plus the gateway's bearer security and its {@code fields}/{@code limit}/{@code cursor} parameters.
 * Rebuilt at most once a minute; services that cannot be reached are listed in {@code x-devloop-unavailable}.
 */
@Path("/api/v1/openapi")
@Blocking
@Tag(name = "OpenAPI", description = "The public API's merged OpenAPI document")
public class OpenApiResource {
    private static final long TTL_NANOS = Duration.ofSeconds(60).toNanos();
    private static final List<String> METHODS = List.of("get", "put", "post", "delete", "patch");
    private static final String TENANT_HEADER = "X-Devloop-Tenant";

    private final ObjectMapper json;
    private final CellRouting cells;
    private final HttpClient http;
    private final Duration timeout;
    private volatile ObjectNode cached;
    private volatile long cachedAt;

    public OpenApiResource(ObjectMapper json, CellRouting cells, GatewayConfig config, CellTls cellTls) {
        this.json = json;
        this.cells = cells;
        this.timeout = config.hop().timeout();
        HttpClient.Builder http =
                HttpClient.newBuilder().connectTimeout(config.hop().connectTimeout());
        // with mTLS the siblings (and this gateway's own port) are HTTPS with certificates from the cell's CA
        cellTls.sslContext().ifPresent(http::sslContext);
        this.http = http.build();
    }

    @Operation(summary = "The public API's merged OpenAPI document")
    @APIResponse(responseCode = "200", description = "the OpenAPI document (JSON)")
    @GET
    @PermitAll
    @Produces(MediaType.APPLICATION_JSON)
    public ObjectNode document(@Context HttpServerRequest server) {
        ObjectNode doc = cached;
        if (doc != null && System.nanoTime() - cachedAt < TTL_NANOS) {
            return doc;
        }
        // over TLS the name must be one the cell's certificate holds: localhost
        String self = (server.isSSL() ? "https://localhost:" : "http://127.0.0.1:")
                + server.localAddress().port();
        doc = merge(fetch(self + "/q/openapi?format=json"));
        cached = doc;
        cachedAt = System.nanoTime();
        return doc;
    }

    private ObjectNode merge(JsonNode gateway) {
        if (gateway == null || !gateway.path("paths").isObject()) {
            throw new IllegalStateException("the gateway's own OpenAPI document is not available");
        }
        ObjectNode doc = gateway.deepCopy();
        doc.putObject("info")
                .put("title", "Devloop public API (api-gateway)")
                .put("version", "1")
                .put(
                        "description",
                        "Every route under /api/v1, with the operations of the services behind the gateway.");
        ObjectNode components = doc.with("components");
        ObjectNode schemas = components.with("schemas");
        components
                .with("securitySchemes")
                .putObject("bearer")
                .put("type", "http")
                .put("scheme", "bearer")
                .put("bearerFormat", "JWT");
        doc.putArray("security").addObject().putArray("bearer");
        Map<Service, JsonNode> sources = new LinkedHashMap<>();
        ArrayNode unavailable = json.createArrayNode();
        for (Service service : Service.values()) {
            JsonNode source = fetch(cells.defaultUrl(service) + "/q/openapi?format=json");
            if (source == null) {
                unavailable.add(service.id());
            } else {
                sources.put(service, source);
            }
        }
        doc.set("x-devloop-unavailable", unavailable);
        ObjectNode paths = (ObjectNode) doc.get("paths");
        for (Iterator<Map.Entry<String, JsonNode>> it = paths.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = it.next();
            String publicPath = entry.getKey();
            if (!publicPath.startsWith("/api/v1/")) {
                continue;
            }
            String rest = publicPath.substring("/api/v1".length());
            ObjectNode item = (ObjectNode) entry.getValue();
            for (String method : METHODS) {
                JsonNode own = item.get(method);
                if (own == null) {
                    continue;
                }
                for (Map.Entry<Service, JsonNode> source : sources.entrySet()) {
                    String downstream = source.getKey() == Service.PROVIDER ? "/v1" + rest : rest;
                    JsonNode theirs =
                            source.getValue().path("paths").path(downstream).path(method);
                    if (theirs.isObject()) {
                        item.set(method, operation((ObjectNode) own, (ObjectNode) theirs.deepCopy(), source.getKey()));
                        break;
                    }
                }
            }
        }
        for (Map.Entry<Service, JsonNode> source : sources.entrySet()) {
            String prefix = prefix(source.getKey());
            source.getValue().path("components").path("schemas").fields().forEachRemaining(schema -> {
                JsonNode copy = schema.getValue().deepCopy();
                rewriteRefs(copy, prefix);
                schemas.set(prefix + schema.getKey(), copy);
            });
        }
        return doc;
    }

    private ObjectNode operation(ObjectNode own, ObjectNode theirs, Service service) {
        rewriteRefs(theirs, prefix(service));
        ArrayNode parameters = json.createArrayNode();
        // only what the public route accepts: the tenant header and the services' own paging (after) stay inside
        java.util.Set<String> accepted = new java.util.HashSet<>();
        own.path("parameters").forEach(p -> accepted.add(p.path("name").asText()));
        theirs.path("parameters").forEach(p -> {
            String name = p.path("name").asText();
            if (!TENANT_HEADER.equalsIgnoreCase(name) && accepted.contains(name)) {
                parameters.add(p);
            }
        });
        own.path("parameters").forEach(p -> {
            boolean present = false;
            for (JsonNode q : parameters) {
                present |= q.path("name").asText().equals(p.path("name").asText());
            }
            if (!present) {
                parameters.add(p);
            }
        });
        theirs.set("parameters", parameters);
        ArrayNode tags = theirs.putArray("tags");
        tags.add(service.id());
        theirs.put("x-devloop-service", service.id());
        if (own.has("security")) {
            theirs.set("security", own.get("security"));
        }
        if (own.has("responses")) {
            ObjectNode responses = theirs.with("responses");
            own.get("responses").fields().forEachRemaining(r -> {
                if (!responses.has(r.getKey())) {
                    responses.set(r.getKey(), r.getValue());
                }
            });
        }
        return theirs;
    }

    private static String prefix(Service service) {
        return service.id().replace('-', '_') + "_";
    }

    private static void rewriteRefs(JsonNode node, String prefix) {
        if (node instanceof ObjectNode object) {
            JsonNode ref = object.get("$ref");
            if (ref != null && ref.isTextual() && ref.asText().startsWith("#/components/schemas/")) {
                object.put(
                        "$ref",
                        "#/components/schemas/" + prefix + ref.asText().substring("#/components/schemas/".length()));
            }
            List<JsonNode> children = new ArrayList<>();
            object.elements().forEachRemaining(children::add);
            children.forEach(child -> rewriteRefs(child, prefix));
        } else if (node instanceof ArrayNode array) {
            array.forEach(child -> rewriteRefs(child, prefix));
        }
    }

    private JsonNode fetch(String url) {
        try {
            HttpResponse<byte[]> response = http.send(
                    HttpRequest.newBuilder(URI.create(url))
                            .timeout(timeout)
                            .header("Accept", "application/json")
                            .GET()
                            .build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            if (response.statusCode() != 200) {
                Log.warnf("openapi source %s answered %d", url, response.statusCode());
                return null;
            }
            return json.readTree(response.body());
        } catch (java.io.IOException e) {
            Log.warnf("openapi source %s unreachable: %s", url, e.toString());
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }
}
