package dev.devloop.knowledge;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasItems;

import io.quarkus.test.junit.QuarkusIntegrationTest;
import io.restassured.http.ContentType;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The packaged jar (prod profile) against the real servers: ready per store, and facts land in the tier their TTL picks. */
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
        given().header("X-Devloop-Tenant", tenant)
                .when()
                .get("/facts/svc-a/latency")
                .then()
                .statusCode(200)
                .body("tier", equalTo("short"));
        given().header("X-Devloop-Tenant", tenant)
                .when()
                .get("/facts/svc-a/owner")
                .then()
                .statusCode(200)
                .body("tier", equalTo("medium"));
        given().header("X-Devloop-Tenant", tenant)
                .when()
                .get("/facts/svc-a/language")
                .then()
                .statusCode(200)
                .body("tier", equalTo("long"));
        given().header("X-Devloop-Tenant", tenant)
                .when()
                .get("/facts/svc-a")
                .then()
                .statusCode(200)
                .body("attribute", hasItems("language", "latency", "owner"));
        given().header("X-Devloop-Tenant", "other-" + tenant)
                .when()
                .get("/facts/svc-a/owner")
                .then()
                .statusCode(404);
    }

    /** The in-process embedding model (ONNX + tokenizer, parent-first) must load from the packaged jar too. */
    @Test
    void thePackagedServiceEmbedsAndFindsDocuments() {
        String tenant = "it-" + UUID.randomUUID().toString().substring(0, 8);
        given().header("X-Devloop-Tenant", tenant)
                .contentType(ContentType.JSON)
                .body(
                        "{\"id\":\"kafka\",\"title\":\"Kafka\",\"text\":\"Kafka is a distributed log used for event streaming between services.\",\"contentType\":\"text/plain\",\"metadata\":{}}")
                .when()
                .post("/documents")
                .then()
                .statusCode(200)
                .body("chunkCount", equalTo(1));
        given().header("X-Devloop-Tenant", tenant)
                .contentType(ContentType.JSON)
                .body("{\"query\":\"event streaming\",\"mode\":\"vector\",\"limit\":3}")
                .when()
                .post("/search")
                .then()
                .statusCode(200)
                .body("hits[0].documentId", equalTo("kafka"));
    }

    private static void put(String tenant, String entity, String attribute, String body) {
        given().header("X-Devloop-Tenant", tenant)
                .contentType(ContentType.JSON)
                .body(body)
                .when()
                .put("/facts/" + entity + "/" + attribute)
                .then()
                .statusCode(200);
    }
}
