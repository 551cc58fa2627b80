package dev.devloop.knowledge.adapters.in.rest;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

import dev.devloop.contracts.Headers;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The derived views on a small hand-built roadmap, with the numbers worked out by hand:
 * <pre>
 * m1 / ph / mod ─┬ f1 ─┬ t1 (2)
 *                │     ├ t2 (3) → t1
 *                │     └ t3 (–, weight 1) → t1
 *                └ f2 → f1 ─┬ t4 (4) → t2, t3
 *                           └ t5 (10, cancelled)
 * </pre>
 */
@QuarkusTest
class RoadmapViewsTest {
    private static final String DOC = """
      {"milestones": [{"id": "m1", "name": "M", "phases": [{"id": "ph", "name": "P", "modules": [{"id": "mod",
        "name": "Mod", "features": [
          {"id": "f1", "name": "F1", "estimate": 5, "tasks": [
            {"id": "t1", "name": "T1", "estimate": 2},
            {"id": "t2", "name": "T2", "estimate": 3, "dependsOn": ["t1"]},
            {"id": "t3", "name": "T3", "dependsOn": ["t1"]}]},
          {"id": "f2", "name": "F2", "dependsOn": ["f1"], "tasks": [
            {"id": "t4", "name": "T4", "estimate": 4, "dependsOn": ["t2", "t3"]},
            {"id": "t5", "name": "T5", "estimate": 10, "status": "cancelled"}]}]}]}]}]}
      """;
    private String tenant;

    @BeforeEach
    void importIt() {
        tenant = "rmv-" + UUID.randomUUID();
        as().contentType(ContentType.JSON)
                .body(DOC)
                .post("/roadmap/import")
                .then()
                .statusCode(200)
                .body("created", equalTo(10))
                .body("dependencies", equalTo(5));
    }

    private RequestSpecification as() {
        return given().header(Headers.TENANT, tenant).contentType(ContentType.JSON);
    }

    private void status(String id, String status) {
        as().body(Map.of("status", status))
                .patch("/roadmap/nodes/{id}", id)
                .then()
                .statusCode(200);
    }

    @Test
    void rollUpReadySetOrderAndCriticalPath() {
        as().get("/roadmap/nodes/m1/progress")
                .then()
                .statusCode(200)
                .body("id", equalTo("m1"))
                .body("progress", equalTo(0.0f))
                .body("tasks", equalTo(4))
                .body("done", equalTo(0))
                .body("estimateTotal", equalTo(10.0f))
                .body("estimateDone", equalTo(0.0f));
        as().get("/roadmap/nodes/t5/progress").then().statusCode(200).body("tasks", equalTo(0));
        as().get("/roadmap/ready?level=task&under=m1").then().statusCode(200).body("id", contains("t1"));
        as().get("/roadmap/ready?level=feature").then().statusCode(200).body("id", contains("f1"));
        as().get("/roadmap/order?level=task&under=m1")
                .then()
                .statusCode(200)
                .body("id", contains("t1", "t5", "t2", "t3", "t4"))
                .body("rank", contains(0, 0, 1, 1, 2));
        as().get("/roadmap/order?level=feature&under=mod")
                .then()
                .statusCode(200)
                .body("id", contains("f1", "f2"))
                .body("rank", contains(0, 1));
        as().get("/roadmap/milestones/m1/critical-path")
                .then()
                .statusCode(200)
                .body("milestone", equalTo("m1"))
                .body("path.id", contains("t1", "t2", "t4"))
                .body("length", equalTo(9.0f))
                .body("remaining", equalTo(9.0f))
                .body("path[0].name", equalTo("T1"))
                .body("path[0].status", equalTo("planned"));

        status("t1", "in_progress");
        status("t1", "done");
        as().get("/roadmap/nodes/m1/progress")
                .then()
                .statusCode(200)
                .body("progress", equalTo(0.2f))
                .body("done", equalTo(1))
                .body("estimateDone", equalTo(2.0f));
        double f1 = as().get("/roadmap/nodes/f1/progress")
                .then()
                .statusCode(200)
                .body("tasks", equalTo(3))
                .extract()
                .jsonPath()
                .getDouble("progress");
        assertThat(f1).isCloseTo(2.0 / 6.0, within(1e-6));
        as().get("/roadmap/ready?under=f1").then().statusCode(200).body("id", contains("t2", "t3"));
        as().get("/roadmap/ready?under=f1&limit=1").then().statusCode(200).body("id", contains("t2"));
        as().get("/roadmap/milestones/m1/critical-path").then().statusCode(200).body("remaining", equalTo(7.0f));

        // restoring t5 brings its weight back: 2 of 20
        status("t5", "planned");
        as().get("/roadmap/nodes/m1/progress")
                .then()
                .statusCode(200)
                .body("progress", equalTo(0.1f))
                .body("tasks", equalTo(5))
                .body("estimateTotal", equalTo(20.0f));
        as().get("/roadmap/milestones/m1/critical-path")
                .then()
                .statusCode(200)
                .body("path.id", contains("t5"))
                .body("length", equalTo(10.0f));
    }

    @Test
    void theTreeNestsEveryLevelWithItsRollUp() {
        as().get("/roadmap/nodes/m1/tree")
                .then()
                .statusCode(200)
                .body("id", equalTo("m1"))
                .body("truncated", equalTo(false))
                .body("progress.tasks", equalTo(4))
                .body("children[0].id", equalTo("ph"))
                .body("children[0].children[0].children.id", contains("f1", "f2"))
                .body("children[0].children[0].children[0].children.id", contains("t1", "t2", "t3"))
                .body("children[0].children[0].children[1].progress.estimateTotal", equalTo(4.0f))
                .body("children[0].children[0].children[1].children[1].status", equalTo("cancelled"));
        as().get("/roadmap/nodes/m1/tree?depth=1")
                .then()
                .statusCode(200)
                .body("children", hasSize(1))
                .body("children[0].children", empty())
                .body("children[0].progress.tasks", equalTo(4));
        as().get("/roadmap/nodes/m1/tree?depth=10")
                .then()
                .statusCode(200)
                .body("children[0].children[0].children[0].children.id", contains("t1", "t2", "t3"));
        as().get("/roadmap/nodes/f2/tree?depth=0").then().statusCode(200).body("children", empty());
    }
}
