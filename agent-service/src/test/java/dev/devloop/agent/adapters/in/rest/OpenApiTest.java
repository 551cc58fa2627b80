package dev.devloop.agent.adapters.in.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.devloop.contracts.openapi.testing.OpenApiContract;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import java.util.Set;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

/** agent-service's {@code /q/openapi} describes its whole public API (issue #19): every body typed, every refusal. */
@QuarkusTest
class OpenApiTest extends OpenApiContract {
    @Override
    protected int port() {
        return RestAssured.port;
    }

    @Override
    protected Set<String> expectedPaths() {
        return Set.of(
                "/agents",
                "/agents/{id}",
                "/agents/{ref}/runs",
                "/agents/{id}/handoffs",
                "/agent-types",
                "/agent-types/{type}",
                "/agent-types/{type}/versions",
                "/approvals",
                "/approvals/{id}",
                "/approvals/{id}/approve",
                "/approvals/{id}/reject",
                "/handoffs/{id}",
                "/runs/{id}",
                "/runs/{id}/cancel",
                "/system-health/checks");
    }

    /** The refusals did not replace the answers: a read still documents its 200 body, a start its 202 and 201. */
    @Test
    void successfulAnswersAreStillDescribed() {
        given().accept("application/json")
                .get("/q/openapi?format=json")
                .then()
                .statusCode(200)
                .body(
                        "paths.'/runs/{id}'.get.responses.'200'.content.'application/json'.schema.'$ref'",
                        containsString("RunView"))
                .body(
                        "paths.'/runs/{id}/cancel'.post.requestBody.content.'application/json'.schema.'$ref'",
                        containsString("CancelRunBody"))
                .body(
                        "paths.'/agents/{ref}/runs'.post.responses.'202'.content.'application/json'.schema.'$ref'",
                        containsString("RunView"))
                .body(
                        "paths.'/agents'.post.responses.'201'.content.'application/json'.schema.'$ref'",
                        containsString("AgentView"))
                .body("paths.'/agents/{ref}/runs'.post.responses.'404'", notNullValue())
                // the shared refusals (SharedRefusals) on every operation, next to the method's own
                .body(
                        "paths.'/system-health/checks'.post.responses.'503'.content.'application/problem+json'.schema.'$ref'",
                        containsString("Problem"))
                .body("paths.'/runs/{id}'.get.responses.'401'", notNullValue());
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
        assertTrue(served.json().contains("\"/agents/{ref}/runs\"")
                && served.json().contains("\"application/problem+json\""));
        assertTrue(
                served.yaml().contains("/agents/{ref}/runs:") && served.yaml().contains("Problem"), served.yaml());
    }
}
