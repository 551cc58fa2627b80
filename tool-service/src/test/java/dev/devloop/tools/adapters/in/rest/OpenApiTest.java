package dev.devloop.tools.adapters.in.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.devloop.contracts.openapi.testing.OpenApiContract;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import java.util.Set;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

/** tool-service's {@code /q/openapi} names every public path, with summaries, tags, typed bodies and refusals. */
@QuarkusTest
class OpenApiTest extends OpenApiContract {
    @Override
    protected int port() {
        return RestAssured.port;
    }

    /** The REST API; {@code /mcp} (the registry over MCP) is described by MCP itself, not OpenAPI. */
    @Override
    protected Set<String> expectedPaths() {
        return Set.of(
                "/tools",
                "/tools/{id}",
                "/tools/{id}/disable",
                "/tools/{id}/invocations",
                "/mcp-servers",
                "/mcp-servers/{name}");
    }

    /** Annotated refusals replace SmallRye's generated answer unless the success is named too: it must stay typed. */
    @Test
    void successAnswersKeepTheirSchemasBesideTheRefusals() {
        given().get("/q/openapi?format=json")
                .then()
                .statusCode(200)
                .body(
                        "paths.'/tools'.get.responses.'200'.content.'application/json'.schema.items.$ref",
                        equalTo("#/components/schemas/SpecView"))
                .body(
                        "paths.'/tools'.post.responses.'201'.content.'application/json'.schema.$ref",
                        equalTo("#/components/schemas/ToolView"))
                .body(
                        "paths.'/tools/{id}/invocations'.post.responses.'429'.content.'application/problem+json'",
                        notNullValue())
                .body("paths.'/mcp-servers/{name}'.delete.responses.'404'", notNullValue())
                .body("components.schemas.ToolRegistrationBody.properties.parameters.type", equalTo("object"))
                // the knowledge-service REST clients are outgoing: not part of this service's API
                .body("paths", not(hasKey("/facts/{entity}/{attribute}")))
                .body("paths", not(hasKey("/roadmap/order")));
    }

    /**
     * Stop 30 guard: the document is built when {@code /q/openapi} is asked for ({@code always-run-filter}), not
     * at start; built again it is the same document, refusals filter included, in JSON and in YAML.
     */
    @Test
    void theDocumentIsBuiltOnRequestAndTheSameEachTime() {
        assertTrue(ConfigProvider.getConfig().getValue("quarkus.smallrye-openapi.always-run-filter", Boolean.class));
        Served served = servedThreeTimes();
        assertEquals(served.json(), served.jsonAgain());
        assertTrue(served.json().contains("\"/tools/{id}/invocations\"")
                && served.json().contains("\"application/problem+json\""));
        assertTrue(
                served.yaml().contains("/tools/{id}/invocations:")
                        && served.yaml().contains("Problem"),
                served.yaml());
    }
}
