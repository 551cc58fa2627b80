package dev.devloop.knowledge.adapters.in.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;

import dev.devloop.contracts.openapi.testing.OpenApiContract;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** knowledge-service's {@code /q/openapi} names every public path, with summaries, tags, typed bodies and refusals. */
@QuarkusTest
class OpenApiTest extends OpenApiContract {
    @Override
    protected int port() {
        return RestAssured.port;
    }

    @Override
    protected Set<String> expectedPaths() {
        return Set.of(
                "/facts/{entity}/{attribute}",
                "/facts/{entity}",
                "/entities",
                "/entities/{id}",
                "/entities/{id}/neighbourhood",
                "/entities/{id}/similar",
                "/entities/search",
                "/relationships",
                "/documents",
                "/documents/{id}",
                "/documents/batch",
                "/search",
                "/rag/query",
                "/cache",
                "/cache/{region}",
                "/agents/{id}/tree",
                "/roadmap/nodes",
                "/roadmap/nodes/{id}",
                "/roadmap/nodes/{id}/dependencies/{dependsOnId}",
                "/roadmap/nodes/{id}/progress",
                "/roadmap/nodes/{id}/tree",
                "/roadmap/ready",
                "/roadmap/order",
                "/roadmap/milestones/{id}/critical-path",
                "/roadmap/import",
                "/roadmap/features/{id}/changelog",
                "/roadmap/milestones/{id}/release-notes");
    }

    /** Annotated refusals replace SmallRye's generated answer unless the success is named too: it must stay typed. */
    @Test
    void successAnswersKeepTheirSchemasBesideTheRefusals() {
        given().get("/q/openapi?format=json")
                .then()
                .statusCode(200)
                .body(
                        "paths.'/facts/{entity}/{attribute}'.get.responses.'200'.content.'application/json'.schema.$ref",
                        equalTo("#/components/schemas/Fact"))
                .body(
                        "paths.'/entities'.get.responses.'200'.content.'application/json'.schema.items.$ref",
                        equalTo("#/components/schemas/EntityView"))
                .body("paths.'/documents/{id}'.delete.responses.'204'", notNullValue())
                .body("paths.'/roadmap/nodes'.post.responses.'201'", notNullValue())
                .body("paths.'/entities/{id}'.get.responses.'404'.content.'application/problem+json'", notNullValue());
    }
}
