package dev.devloop.knowledge;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasItems;

import dev.devloop.contracts.identity.testing.TestCredentials;
import io.quarkus.test.junit.QuarkusIntegrationTest;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The packaged jar (prod profile) against the real servers: ready per store, and facts land in the tier their TTL picks.
 * It verifies credentials as in production (its key is created in the shared key dir: failsafe sets
 * DEVLOOP_IDENTITY_GENERATE=true), so each call carries a token for knowledge-service acting for its tenant.
 */
@QuarkusIntegrationTest
class PackagedKnowledgeServiceIT {

    @Test
    void thePackagedServiceIsReadyAndStoresFactsInEveryTier() {
        given().when()
                .get("/q/health/ready")
                .then()
                .statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.status", everyItem(equalTo("UP")));
        String tenant = "it-" + UUID.randomUUID().toString().substring(0, 8);
        put(tenant, "svc-a", "latency", "{\"value\":\"slow\",\"ttlSeconds\":30}");
        put(tenant, "svc-a", "owner", "{\"value\":\"team-x\",\"ttlSeconds\":3600}");
        put(tenant, "svc-a", "language", "{\"value\":\"java\"}");
        as(tenant).when().get("/facts/svc-a/latency").then().statusCode(200).body("tier", equalTo("short"));
        as(tenant).when().get("/facts/svc-a/owner").then().statusCode(200).body("tier", equalTo("medium"));
        as(tenant).when().get("/facts/svc-a/language").then().statusCode(200).body("tier", equalTo("long"));
        as(tenant)
                .when()
                .get("/facts/svc-a")
                .then()
                .statusCode(200)
                .body("attribute", hasItems("language", "latency", "owner"));
        as("other-" + tenant).when().get("/facts/svc-a/owner").then().statusCode(404);
    }

    /** The in-process embedding model (ONNX + tokenizer, parent-first) must load from the packaged jar too. */
    @Test
    void thePackagedServiceEmbedsAndFindsDocuments() {
        String tenant = "it-" + UUID.randomUUID().toString().substring(0, 8);
        as(tenant)
                .contentType(ContentType.JSON)
                .body(
                        "{\"id\":\"kafka\",\"title\":\"Kafka\",\"text\":\"Kafka is a distributed log used for event streaming between services.\",\"contentType\":\"text/plain\",\"metadata\":{}}")
                .when()
                .post("/documents")
                .then()
                .statusCode(200)
                .body("chunkCount", equalTo(1));
        as(tenant)
                .contentType(ContentType.JSON)
                .body("{\"query\":\"event streaming\",\"mode\":\"vector\",\"limit\":3}")
                .when()
                .post("/search")
                .then()
                .statusCode(200)
                .body("hits[0].documentId", equalTo("kafka"));
    }

    @Test
    void thePackagedServiceRefusesACallWithoutACredential() {
        given().header("X-Devloop-Tenant", "it-anonymous")
                .when()
                .get("/facts/svc-a/owner")
                .then()
                .statusCode(401)
                .contentType("application/problem+json");
    }

    /** A call the way a sibling makes it: the tenant header and a token acting for that tenant. */
    private static RequestSpecification as(String tenant) {
        return given().header("Authorization", TestCredentials.bearer("knowledge-service", tenant))
                .header("X-Devloop-Tenant", tenant);
    }

    private static void put(String tenant, String entity, String attribute, String body) {
        as(tenant)
                .contentType(ContentType.JSON)
                .body(body)
                .when()
                .put("/facts/" + entity + "/" + attribute)
                .then()
                .statusCode(200);
    }
}
