package dev.devloop.contracts.openapi.testing;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * What each service's {@code /q/openapi} owes a client generator, run by each service's {@code @QuarkusTest}
 * subclass: every operation has a summary and a tag, every request and answer body is a named schema with its
 * properties (no bare {@code object}), and refusals are described as problem+json. A body that is free-form by design
 * (a JSON Schema, a provider's passthrough) is named by the subclass, with the reason in its comment.
 */
public abstract class OpenApiContract {
    private static final Set<String> METHODS = Set.of("get", "put", "post", "delete", "patch");

    /** The port of the service under test ({@code RestAssured.port}; see ServiceIdentityContract for why). */
    protected abstract int port();

    /** "METHOD /path" of operations whose request body is free-form by design. */
    protected Set<String> freeFormRequestBodies() {
        return Set.of();
    }

    /** The paths the service must describe: its public API. Extra paths are allowed, missing ones fail. */
    protected abstract Set<String> expectedPaths();

    private JsonNode document() throws Exception {
        return new ObjectMapper().readTree(served("json"));
    }

    /** The served document in {@code format} ({@code json} or {@code yaml}). */
    private String served(String format) {
        return given().baseUri("http://127.0.0.1")
                .port(port())
                .accept("json".equals(format) ? "application/json" : "application/yaml")
                .when()
                .get("/q/openapi?format=" + format)
                .then()
                .statusCode(200)
                .extract()
                .asString();
    }

    /** The document as served by two requests in JSON and one in YAML. */
    protected record Served(String json, String jsonAgain, String yaml) {}

    /**
     * Asks for the document three times: a service that builds it per request
     * ({@code quarkus.smallrye-openapi.always-run-filter}) must serve the same document each time.
     */
    protected Served servedThreeTimes() {
        return new Served(served("json"), served("json"), served("yaml"));
    }

    private record Operation(String method, String path, JsonNode node) {
        String name() {
            return method.toUpperCase() + " " + path;
        }
    }

    private List<Operation> operations(JsonNode document) {
        List<Operation> operations = new ArrayList<>();
        Iterator<Map.Entry<String, JsonNode>> paths = document.path("paths").fields();
        while (paths.hasNext()) {
            Map.Entry<String, JsonNode> path = paths.next();
            if (path.getKey().startsWith("/q/")) {
                continue;
            }
            path.getValue().fields().forEachRemaining(op -> {
                if (METHODS.contains(op.getKey())) {
                    operations.add(new Operation(op.getKey(), path.getKey(), op.getValue()));
                }
            });
        }
        return operations;
    }

    @Test
    void everyPublicPathIsDescribed() throws Exception {
        JsonNode document = document();
        List<String> described = new ArrayList<>();
        document.path("paths").fieldNames().forEachRemaining(described::add);
        assertThat(described).containsAll(expectedPaths());
        assertThat(document.path("info").path("title").asText()).isNotBlank();
    }

    @Test
    void everyOperationHasASummaryAndATag() throws Exception {
        List<String> missing = operations(document()).stream()
                .filter(op -> op.node().path("summary").asText().isBlank()
                        || op.node().path("tags").isEmpty())
                .map(Operation::name)
                .toList();
        assertThat(missing).as("operations without a summary or tag").isEmpty();
    }

    @Test
    void requestBodiesAreNamedSchemasWithProperties() throws Exception {
        JsonNode document = document();
        List<String> untyped = new ArrayList<>();
        for (Operation op : operations(document)) {
            JsonNode content = op.node().path("requestBody").path("content");
            if (content.isMissingNode() || freeFormRequestBodies().contains(op.name())) {
                continue;
            }
            content.fields().forEachRemaining(media -> {
                if (media.getKey().contains("json")
                        && !typed(document, media.getValue().path("schema"))) {
                    untyped.add(op.name() + " (" + media.getKey() + ")");
                }
            });
        }
        assertThat(untyped)
                .as("request bodies without a named schema and its properties")
                .isEmpty();
    }

    @Test
    void refusalsAreDescribedAsProblemJson() throws Exception {
        List<String> undescribed = new ArrayList<>();
        for (Operation op : operations(document())) {
            boolean problem = false;
            Iterator<Map.Entry<String, JsonNode>> responses =
                    op.node().path("responses").fields();
            while (responses.hasNext()) {
                Map.Entry<String, JsonNode> response = responses.next();
                if (response.getKey().startsWith("4")
                        && response.getValue().path("content").has("application/problem+json")) {
                    problem = true;
                }
            }
            if (!problem) {
                undescribed.add(op.name());
            }
        }
        assertThat(undescribed).as("operations with no 4xx problem+json answer").isEmpty();
    }

    /** A $ref to a component with properties, or an array of such. */
    private static boolean typed(JsonNode document, JsonNode schema) {
        if (schema.has("$ref")) {
            String name = schema.get("$ref").asText().replace("#/components/schemas/", "");
            JsonNode component = document.path("components").path("schemas").path(name);
            return component.has("properties") || component.has("allOf") || component.has("oneOf");
        }
        if ("array".equals(schema.path("type").asText())) {
            return typed(document, schema.path("items"));
        }
        return false;
    }
}
