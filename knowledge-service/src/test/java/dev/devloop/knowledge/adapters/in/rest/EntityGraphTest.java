package dev.devloop.knowledge.adapters.in.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

import dev.devloop.contracts.Headers;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
class EntityGraphTest {
    private String tenant;

    @BeforeEach
    void newTenant() {
        tenant = "t-" + UUID.randomUUID();
    }

    private RequestSpecification as(String t) {
        return given().header(Headers.TENANT, t).contentType(ContentType.JSON);
    }

    private void entity(String id, String type, String properties) {
        as(tenant)
                .body("{\"id\":\"" + id + "\",\"type\":\"" + type + "\",\"properties\":" + properties + "}")
                .post("/entities")
                .then()
                .statusCode(200);
    }

    private void relate(String from, String type, String to) {
        as(tenant)
                .body("{\"from\":\"" + from + "\",\"to\":\"" + to + "\",\"type\":\"" + type
                        + "\",\"properties\":{\"since\":\"2026\"}}")
                .post("/relationships")
                .then()
                .statusCode(200);
    }

    @Test
    void entitiesAreCreatedMergedListedAndReadWithTheirRelations() {
        as(tenant)
                .body("{\"id\":\"svc-a\",\"type\":\"service\",\"properties\":{\"team\":\"core\",\"tier\":1}}")
                .post("/entities")
                .then()
                .statusCode(200)
                .body("tenant", equalTo(tenant))
                .body("id", equalTo("svc-a"))
                .body("properties.tier", equalTo(1));
        as(tenant)
                .body("{\"id\":\"svc-a\",\"type\":\"service\",\"properties\":{\"tier\":2,\"owner\":{\"name\":\"x\"}}}")
                .post("/entities")
                .then()
                .statusCode(200)
                .body("properties.team", equalTo("core"))
                .body("properties.tier", equalTo(2))
                .body("properties.owner.name", equalTo("x"));
        entity("svc-b", "service", "{}");
        entity("db-1", "database", "{\"engine\":\"mongo\"}");
        relate("svc-a", "DEPENDS_ON", "db-1");
        relate("svc-b", "CALLS", "svc-a");
        relate("svc-b", "CALLS", "svc-a");

        as(tenant).get("/entities?type=service").then().statusCode(200).body("id", contains("svc-a", "svc-b"));
        as(tenant).get("/entities?type=database").then().statusCode(200).body("id", contains("db-1"));
        as(tenant).get("/entities?limit=1").then().statusCode(200).body("$", hasSize(1));
        as(tenant)
                .get("/relationships?type=CALLS")
                .then()
                .statusCode(200)
                .body("$", hasSize(1))
                .body("[0].from", equalTo("svc-b"))
                .body("[0].to", equalTo("svc-a"))
                .body("[0].properties.since", equalTo("2026"));
        as(tenant).get("/relationships").then().statusCode(200).body("type", containsInAnyOrder("CALLS", "DEPENDS_ON"));

        as(tenant)
                .get("/entities/{id}", "svc-a")
                .then()
                .statusCode(200)
                .body("type", equalTo("service"))
                .body("properties.team", equalTo("core"))
                .body("relations", hasSize(2))
                .body("relations.find { it.type == 'DEPENDS_ON' }.direction", equalTo("out"))
                .body("relations.find { it.type == 'DEPENDS_ON' }.otherId", equalTo("db-1"))
                .body("relations.find { it.type == 'DEPENDS_ON' }.otherType", equalTo("database"))
                .body("relations.find { it.type == 'CALLS' }.direction", equalTo("in"))
                .body("relations.find { it.type == 'CALLS' }.otherId", equalTo("svc-b"));
    }

    @Test
    void listsArePagedByKeysetToTheEnd() {
        for (String id : new String[] {"e-1", "e-2", "e-3", "e-4", "e-5"}) {
            entity(id, "node", "{}");
        }
        relate("e-1", "CALLS", "e-2");
        relate("e-1", "CALLS", "e-3");
        relate("e-1", "DEPENDS_ON", "e-2");
        relate("e-2", "CALLS", "e-1");

        var first = as(tenant)
                .get("/entities?limit=2")
                .then()
                .statusCode(200)
                .body("id", contains("e-1", "e-2"))
                .header(Headers.NEXT_AFTER, org.hamcrest.Matchers.notNullValue())
                .extract();
        var second = as(tenant)
                .get("/entities?limit=2&after=" + first.header(Headers.NEXT_AFTER))
                .then()
                .statusCode(200)
                .body("id", contains("e-3", "e-4"))
                .extract();
        // written between the pages: a keyset page neither repeats nor skips because of it
        entity("e-0", "node", "{}");
        as(tenant)
                .get("/entities?limit=2&after=" + second.header(Headers.NEXT_AFTER))
                .then()
                .statusCode(200)
                .body("id", contains("e-5"))
                .header(Headers.NEXT_AFTER, org.hamcrest.Matchers.nullValue());

        var rels = as(tenant)
                .get("/relationships?limit=2")
                .then()
                .statusCode(200)
                .body("type", contains("CALLS", "CALLS"))
                .body("to", contains("e-2", "e-3"))
                .extract();
        as(tenant)
                .get("/relationships?limit=2&after=" + rels.header(Headers.NEXT_AFTER))
                .then()
                .statusCode(200)
                .body("from", contains("e-1", "e-2"))
                .body("type", contains("DEPENDS_ON", "CALLS"))
                .header(Headers.NEXT_AFTER, org.hamcrest.Matchers.nullValue());

        badRequest(as(tenant), "GET", "/entities?after=not*base64", "after");
        badRequest(as(tenant), "GET", "/relationships?after=" + first.header(Headers.NEXT_AFTER), "after");
    }

    @Test
    void neighbourhoodsGrowWithDepth() {
        entity("a", "service", "{}");
        entity("b", "service", "{}");
        entity("c", "database", "{}");
        entity("d", "host", "{}");
        relate("a", "CALLS", "b");
        relate("b", "DEPENDS_ON", "c");
        relate("c", "RUNS_ON", "d");
        as(tenant)
                .get("/entities/{id}/neighbourhood", "a")
                .then()
                .statusCode(200)
                .body("centre", equalTo("a"))
                .body("depth", equalTo(1))
                .body("entities.id", contains("b"))
                .body("relationships", hasSize(1));
        as(tenant)
                .get("/entities/{id}/neighbourhood?depth=2", "a")
                .then()
                .statusCode(200)
                .body("entities.id", contains("b", "c"))
                .body("entities.distance", contains(1, 2))
                .body("relationships.type", containsInAnyOrder("CALLS", "DEPENDS_ON"));
        as(tenant)
                .get("/entities/{id}/neighbourhood?depth=3", "c")
                .then()
                .statusCode(200)
                .body("entities.id", contains("b", "d", "a"));
    }

    @Test
    void tenantsNeverSeeEachOthersGraph() {
        entity("shared", "service", "{\"secret\":true}");
        entity("other", "service", "{}");
        String other = "t-" + UUID.randomUUID();
        as(other).get("/entities/{id}", "shared").then().statusCode(404).contentType("application/problem+json");
        as(other).get("/entities?type=service").then().statusCode(200).body("$", hasSize(0));
        as(other)
                .body("{\"from\":\"shared\",\"to\":\"other\",\"type\":\"CALLS\"}")
                .post("/relationships")
                .then()
                .statusCode(404);
        as(other).get("/entities/{id}/neighbourhood", "shared").then().statusCode(404);
        as(other).get("/relationships").then().statusCode(200).body("$", hasSize(0));
    }

    private void badRequest(RequestSpecification request, String method, String path, String field) {
        request.request(method, path)
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("field", equalTo(field));
    }

    @Test
    void invalidInputIsA400NamingTheField() {
        entity("x", "service", "{}");
        badRequest(
                given().contentType(ContentType.JSON).body("{\"id\":\"a\",\"type\":\"t\"}"),
                "POST",
                "/entities",
                Headers.TENANT);
        badRequest(as(tenant).body("{\"type\":\"service\"}"), "POST", "/entities", "id");
        badRequest(as(tenant).body("{\"id\":\"a\"}"), "POST", "/entities", "type");
        badRequest(as(tenant).body("{\"id\":\"a\",\"type\":\"no spaces\"}"), "POST", "/entities", "type");
        badRequest(
                as(tenant).body("{\"id\":\"a\",\"type\":\"s\",\"properties\":[1]}"), "POST", "/entities", "properties");
        badRequest(
                as(tenant).body("{\"from\":\"x\",\"to\":\"x\",\"type\":\"depends on\"}"),
                "POST",
                "/relationships",
                "type");
        badRequest(
                as(tenant).body("{\"from\":\"x\",\"to\":\"x\",\"type\":\"X`]->() DETACH DELETE (n) //\"}"),
                "POST",
                "/relationships",
                "type");
        badRequest(as(tenant).body("{\"to\":\"x\",\"type\":\"CALLS\"}"), "POST", "/relationships", "from");
        badRequest(as(tenant), "GET", "/entities/x/neighbourhood?depth=0", "depth");
        badRequest(as(tenant), "GET", "/entities/x/neighbourhood?depth=4", "depth");
        badRequest(as(tenant), "GET", "/entities?limit=0", "limit");
        badRequest(as(tenant), "GET", "/relationships?type=bad-type", "type");
        as(tenant)
                .body("{\"from\":\"x\",\"to\":\"missing\",\"type\":\"CALLS\"}")
                .post("/relationships")
                .then()
                .statusCode(404)
                .body("detail", containsString("missing"));
    }
}
