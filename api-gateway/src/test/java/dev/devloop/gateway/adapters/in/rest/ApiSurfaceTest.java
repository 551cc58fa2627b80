package dev.devloop.gateway.adapters.in.rest;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

import dev.devloop.gateway.support.AgentServiceStub;
import dev.devloop.gateway.support.FlakyCell;
import dev.devloop.gateway.support.RealServices;
import dev.devloop.gateway.support.Tokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.config.DecoderConfig;
import io.restassured.config.RestAssuredConfig;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** API versions, batch reads, gzip, and the aggregated OpenAPI document with Swagger UI. */
@QuarkusTest
@QuarkusTestResource(RealServices.class)
@QuarkusTestResource(FlakyCell.class)
@QuarkusTestResource(AgentServiceStub.class)
class ApiSurfaceTest {
    @io.quarkus.test.common.http.TestHTTPResource("/")
    java.net.URL root;

    @Test
    void theCurrentVersionIsServedByPathOrHeaderAndADeprecatedOneCarriesDeprecationAndSunset() {
        String token = Tokens.valid(Tokens.newTenant(), "viewer");
        given().auth()
                .oauth2(token)
                .when()
                .get("/api/v1/webhooks")
                .then()
                .statusCode(200)
                .header("X-API-Version", "1")
                .header("Deprecation", nullValue());
        given().auth()
                .oauth2(token)
                .header("X-API-Version", "1")
                .when()
                .get("/api/webhooks")
                .then()
                .statusCode(200)
                .header("X-API-Version", "1");
        given().auth()
                .oauth2(token)
                .when()
                .get("/api/v0/webhooks")
                .then()
                .statusCode(200)
                .header("X-API-Version", "0")
                .header(
                        "Deprecation",
                        "@" + java.time.Instant.parse("2026-11-01T00:00:00Z").getEpochSecond())
                .header("Sunset", "Tue, 1 Jan 2999 00:00:00 GMT")
                .header("Link", containsString("</api/v1/webhooks>; rel=\"successor-version\""));
        given().auth()
                .oauth2(token)
                .when()
                .get("/api/v7/webhooks")
                .then()
                .statusCode(404)
                .contentType("application/problem+json")
                .body("type", containsString("api-version-unknown"));
        given().auth()
                .oauth2(token)
                .header("X-API-Version", "0")
                .when()
                .get("/api/v1/webhooks")
                .then()
                .statusCode(400)
                .body("field", equalTo("X-API-Version"));
    }

    @Test
    void aBatchAnswersEachReadAsADirectCallWouldInOrder() {
        String tenant = Tokens.newTenant();
        String entity = "svc-" + UUID.randomUUID();
        given().auth()
                .oauth2(Tokens.valid(tenant, "operator"))
                .contentType(ContentType.JSON)
                .body("{\"value\":\"up\"}")
                .when()
                .put("/api/v1/facts/" + entity + "/status")
                .then()
                .statusCode(200);
        String other = Tokens.newTenant();
        given().auth()
                .oauth2(Tokens.valid(tenant, "operator"))
                .contentType(ContentType.JSON)
                .body("""
        {"requests":[
          {"id":"fact","path":"/api/v1/facts/%s/status?fields=value"},
          {"id":"missing","path":"/api/v1/facts/%s/nothing"},
          {"id":"hooks","path":"/api/v1/webhooks"}]}""".formatted(entity, entity))
                .when()
                .post("/api/v1/batch")
                .then()
                .statusCode(200)
                .body("responses.id", equalTo(java.util.List.of("fact", "missing", "hooks")))
                .body("responses[0].status", equalTo(200))
                .body("responses[0].body.value", equalTo("up"))
                .body("responses[0].body", not(org.hamcrest.Matchers.hasKey("tenant")))
                .body("responses[1].status", equalTo(404))
                .body("responses[2].status", equalTo(200));
        given().auth()
                .oauth2(Tokens.valid(other, "viewer"))
                .contentType(ContentType.JSON)
                .body("{\"requests\":[{\"id\":\"a\",\"path\":\"/api/v1/facts/" + entity + "/status\"}]}")
                .when()
                .post("/api/v1/batch")
                .then()
                .statusCode(200)
                .body("responses[0].status", equalTo(404));

        StringBuilder many = new StringBuilder("{\"requests\":[");
        for (int i = 0; i < 21; i++) {
            many.append(i == 0 ? "" : ",").append("{\"id\":\"r").append(i).append("\",\"path\":\"/api/v1/webhooks\"}");
        }
        given().auth()
                .oauth2(Tokens.valid(tenant, "viewer"))
                .contentType(ContentType.JSON)
                .body(many.append("]}").toString())
                .when()
                .post("/api/v1/batch")
                .then()
                .statusCode(400)
                .body("field", equalTo("requests"));
        given().auth()
                .oauth2(Tokens.valid(tenant, "viewer"))
                .contentType(ContentType.JSON)
                .body("{\"requests\":[{\"id\":\"a\",\"method\":\"DELETE\",\"path\":\"/api/v1/webhooks/x\"}]}")
                .when()
                .post("/api/v1/batch")
                .then()
                .statusCode(400)
                .body("field", equalTo("requests[0].method"));
        given().auth()
                .oauth2(Tokens.valid(tenant, "viewer"))
                .contentType(ContentType.JSON)
                .body("{\"requests\":[{\"id\":\"a\",\"path\":\"/q/metrics\"}]}")
                .when()
                .post("/api/v1/batch")
                .then()
                .statusCode(400)
                .body("field", equalTo("requests[0].path"));
        given().contentType(ContentType.JSON)
                .body("{\"requests\":[]}")
                .when()
                .post("/api/v1/batch")
                .then()
                .statusCode(401);
    }

    /** The batch body binds to its record strictly: no coerced scalars, no ignored fields — a 400 naming the field. */
    @Test
    void aBatchBodyIsReadStrictly() {
        String viewer = Tokens.valid(Tokens.newTenant(), "viewer");
        java.util.Map<String, String> refusals = new java.util.LinkedHashMap<>();
        refusals.put(
                "{\"requests\":[{\"id\":\"a\",\"path\":\"/api/v1/webhooks\",\"verb\":\"GET\"}]}", "requests[0].verb");
        refusals.put("{\"requests\":[{\"id\":\"a\",\"path\":7}]}", "requests[0].path");
        refusals.put("{\"requests\":[{\"id\":1,\"path\":\"/api/v1/webhooks\"}]}", "requests[0].id");
        refusals.put("{\"requests\":{\"id\":\"a\"}}", "requests");
        refusals.put("{\"requests\":[{\"path\":\"/api/v1/webhooks\"}],\"parallel\":true}", "parallel");
        refusals.put("[1]", "body");
        refusals.forEach((body, field) -> given().auth()
                .oauth2(viewer)
                .contentType(ContentType.JSON)
                .body(body)
                .when()
                .post("/api/v1/batch")
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("field", equalTo(field)));
    }

    @Test
    void jsonAnswersAreGzippedWhenTheClientAcceptsIt() throws Exception {
        Response zipped = given().config(RestAssuredConfig.config()
                        .decoderConfig(DecoderConfig.decoderConfig().noContentDecoders()))
                .auth()
                .oauth2(Tokens.valid(Tokens.newTenant(), "viewer"))
                .header("Accept-Encoding", "gzip")
                .when()
                .get("/api/v1/tools?agentType=assistant");
        zipped.then().statusCode(200).header("Content-Encoding", "gzip");
        byte[] body = zipped.asByteArray();
        assertThat(body[0] & 0xff).isEqualTo(0x1f);
        assertThat(body[1] & 0xff).isEqualTo(0x8b);
        // the JDK client sends no Accept-Encoding: the answer is not compressed
        java.net.http.HttpResponse<byte[]> plain = java.net.http.HttpClient.newHttpClient()
                .send(
                        java.net.http.HttpRequest.newBuilder(
                                        java.net.URI.create(root + "api/v1/tools?agentType=assistant"))
                                .header("Authorization", "Bearer " + Tokens.valid(Tokens.newTenant(), "viewer"))
                                .GET()
                                .build(),
                        java.net.http.HttpResponse.BodyHandlers.ofByteArray());
        assertThat(plain.statusCode()).isEqualTo(200);
        assertThat(plain.headers().firstValue("Content-Encoding")).isEmpty();
        assertThat(new String(plain.body(), java.nio.charset.StandardCharsets.UTF_8))
                .startsWith("{\"items\":");
    }

    @Test
    void theAggregatedOpenApiDocumentCarriesEachServicesOperationsUnderThePublicPaths() {
        // (agent-service's operations are merged the same way; in this test its default-cell URL is a stand-in)
        given().when()
                .get("/api/v1/openapi")
                .then()
                .statusCode(200)
                .body("paths.'/api/v1/facts/{entity}/{attribute}'.put.x-devloop-service", equalTo("knowledge-service"))
                .body(
                        "paths.'/api/v1/facts/{entity}/{attribute}'.put.parameters.name",
                        not(hasItem("X-Devloop-Tenant")))
                .body("paths.'/api/v1/tools/{id}/invocations'.post.x-devloop-service", equalTo("tool-service"))
                .body("paths.'/api/v1/chat/completions'.post.x-devloop-service", equalTo("provider-gateway"))
                .body("paths.'/api/v1/entities'.get.parameters.name", hasItem("cursor"))
                .body("components.securitySchemes.bearer.scheme", equalTo("bearer"))
                // the gateway's own operations of the agent-type, cancel and usage routes are listed in any case
                .body("paths.'/api/v1/agent-types'.post", notNullValue())
                .body(
                        "paths.'/api/v1/agent-types/{type}'.keySet()",
                        org.hamcrest.Matchers.hasItems("get", "put", "delete"))
                .body("paths.'/api/v1/runs/{id}/cancel'.post", notNullValue())
                .body(
                        "paths.'/api/v1/usage'.get.parameters.name",
                        org.hamcrest.Matchers.hasItems("from", "to", "groupBy"))
                // the roadmap, approval and agent-type version routes (docs/roadmap.md)
                .body("paths.'/api/v1/roadmap/nodes'.keySet()", org.hamcrest.Matchers.hasItems("get", "post"))
                .body(
                        "paths.'/api/v1/roadmap/nodes'.get.parameters.name",
                        org.hamcrest.Matchers.hasItems("level", "parentId", "status", "limit", "cursor"))
                .body(
                        "paths.'/api/v1/roadmap/nodes/{id}'.keySet()",
                        org.hamcrest.Matchers.hasItems("get", "patch", "delete"))
                .body(
                        "paths.'/api/v1/roadmap/nodes/{id}/dependencies/{dependsOnId}'.keySet()",
                        org.hamcrest.Matchers.hasItems("put", "delete"))
                .body(
                        "paths.'/api/v1/roadmap/import'.post.requestBody.content.keySet()",
                        org.hamcrest.Matchers.hasItems("application/json", "application/yaml", "text/yaml"))
                .body("paths.'/api/v1/roadmap/milestones/{id}/critical-path'.get", notNullValue())
                .body("paths.'/api/v1/approvals/{id}/approve'.post", notNullValue())
                .body("paths.'/api/v1/approvals/{id}/reject'.post", notNullValue())
                .body("paths.'/api/v1/agent-types/{type}/versions'.get", notNullValue())
                // the default cell's agent-service is the WireMock AgentServiceStub in these tests: it has no
                // /q/openapi
                .body("x-devloop-unavailable", equalTo(java.util.List.of("agent-service")))
                .body("components.schemas", notNullValue());
        given().when().get("/q/swagger-ui/").then().statusCode(200).body(containsString("swagger"));
    }
}
