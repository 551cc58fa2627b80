package dev.devloop.knowledge.adapters.in.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

import dev.devloop.contracts.Headers;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Nodes, dependencies and every error path of {@code /roadmap/nodes} against the real Neo4j. */
@QuarkusTest
class RoadmapResourceTest {
    private static final String PROBLEM = "https://devloop.dev/problems/";
    private String tenant;

    @BeforeEach
    void newTenant() {
        tenant = "rm-" + UUID.randomUUID();
    }

    private RequestSpecification as(String t) {
        return given().header(Headers.TENANT, t).contentType(ContentType.JSON);
    }

    private RequestSpecification as() {
        return as(tenant);
    }

    private static Map<String, Object> node(String id, String level, String parentId, Object... more) {
        Map<String, Object> body = new HashMap<>(Map.of("id", id, "level", level, "name", "Node " + id));
        if (parentId != null) {
            body.put("parentId", parentId);
        }
        for (int i = 0; i < more.length; i += 2) {
            body.put((String) more[i], more[i + 1]);
        }
        return body;
    }

    private void create(Map<String, Object> body) {
        as().body(body).post("/roadmap/nodes").then().statusCode(201);
    }

    /** m1 / p1 / mod / f1 {t1, t2 → t1}, f2 (empty). */
    private void seed() {
        create(node("m1", "milestone", null));
        create(node("p1", "phase", "m1"));
        create(node("mod", "module", "p1"));
        create(node("f1", "feature", "mod", "estimate", 5));
        create(node("f2", "feature", "mod"));
        create(node("t1", "task", "f1", "estimate", 2));
        create(node("t2", "task", "f1", "estimate", 3, "dependsOn", List.of("t1")));
    }

    private void status(String id, String status, int expected) {
        as().body(Map.of("status", status))
                .patch("/roadmap/nodes/{id}", id)
                .then()
                .statusCode(expected);
    }

    @Test
    void nodesAreCreatedReadListedAndPaged() {
        seed();
        as().body(node(
                        "t3",
                        "task",
                        "f1",
                        "description",
                        "three",
                        "owner",
                        "agent:planner",
                        "metadata",
                        Map.of("area", "auth", "n", 3)))
                .post("/roadmap/nodes")
                .then()
                .statusCode(201)
                .header("Location", containsString("/roadmap/nodes/t3"))
                .body("id", equalTo("t3"))
                .body("level", equalTo("task"))
                .body("parentId", equalTo("f1"))
                .body("status", equalTo("planned"))
                .body("version", equalTo(1))
                .body("metadata.area", equalTo("auth"))
                .body("owner", equalTo("agent:planner"))
                .body("createdAt", notNullValue());
        as().get("/roadmap/nodes/t2")
                .then()
                .statusCode(200)
                .body("dependsOn", contains("t1"))
                .body("estimate", equalTo(3.0f))
                .body("children", empty())
                .body("progress.tasks", equalTo(1))
                .body("progress.estimateTotal", equalTo(3.0f));
        as().get("/roadmap/nodes/f1")
                .then()
                .statusCode(200)
                .body("children", contains("t1", "t2", "t3"))
                .body("progress.tasks", equalTo(3))
                .body("progress.estimateTotal", equalTo(6.0f));
        // an id is generated when none is given
        as().body(Map.of("level", "task", "parentId", "f2", "name", "generated"))
                .post("/roadmap/nodes")
                .then()
                .statusCode(201)
                .body("id", containsString("task-"));

        as().get("/roadmap/nodes?level=task&parentId=f1").then().statusCode(200).body("id", contains("t1", "t2", "t3"));
        String next = as().get("/roadmap/nodes?level=task&parentId=f1&limit=2")
                .then()
                .statusCode(200)
                .body("id", contains("t1", "t2"))
                .header(Headers.NEXT_AFTER, notNullValue())
                .extract()
                .header(Headers.NEXT_AFTER);
        as().get("/roadmap/nodes?level=task&parentId=f1&limit=2&after=" + next)
                .then()
                .statusCode(200)
                .body("id", contains("t3"))
                .header(Headers.NEXT_AFTER, nullValue());
        as().get("/roadmap/nodes?after=not-a-key").then().statusCode(400).body("field", equalTo("after"));
        as().get("/roadmap/nodes?status=done").then().statusCode(200).body("$", empty());
        as().get("/roadmap/nodes?status=finished").then().statusCode(400).body("field", equalTo("status"));
        as().get("/roadmap/nodes?limit=0").then().statusCode(400).body("field", equalTo("limit"));
    }

    @Test
    void badInputIsRefusedNamingTheField() {
        seed();
        as().body(node("x", "task", "nope"))
                .post("/roadmap/nodes")
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("type", equalTo(PROBLEM + "unknown-parent"))
                .body("field", equalTo("parentId"));
        as().body(node("x", "task", "m1"))
                .post("/roadmap/nodes")
                .then()
                .statusCode(400)
                .body("field", equalTo("parentId"))
                .body("detail", containsString("must be a feature"));
        as().body(node("x", "milestone", "m1"))
                .post("/roadmap/nodes")
                .then()
                .statusCode(400)
                .body("field", equalTo("parentId"));
        as().body(node("x", "task", null))
                .post("/roadmap/nodes")
                .then()
                .statusCode(400)
                .body("field", equalTo("parentId"));
        as().body(node("x", "epic", null))
                .post("/roadmap/nodes")
                .then()
                .statusCode(400)
                .body("field", equalTo("level"));
        as().body(Map.of("id", "x", "level", "milestone"))
                .post("/roadmap/nodes")
                .then()
                .statusCode(400)
                .body("field", equalTo("name"));
        as().body(node("x", "milestone", null, "name", "n".repeat(201)))
                .post("/roadmap/nodes")
                .then()
                .statusCode(400)
                .body("field", equalTo("name"));
        as().body(node("bad id!", "milestone", null))
                .post("/roadmap/nodes")
                .then()
                .statusCode(400)
                .body("field", equalTo("id"));
        as().body(node("x", "task", "f1", "estimate", -1))
                .post("/roadmap/nodes")
                .then()
                .statusCode(400)
                .body("field", equalTo("estimate"));
        as().body(node("x", "task", "f1", "estimate", 10001))
                .post("/roadmap/nodes")
                .then()
                .statusCode(400)
                .body("field", equalTo("estimate"));
        as().body(node("x", "task", "f1", "status", "later"))
                .post("/roadmap/nodes")
                .then()
                .statusCode(400)
                .body("field", equalTo("status"));
        as().body(node("x", "task", "f1", "colour", "red"))
                .post("/roadmap/nodes")
                .then()
                .statusCode(400)
                .body("field", equalTo("colour"));
        as().body(node("x", "task", "f1", "metadata", "text"))
                .post("/roadmap/nodes")
                .then()
                .statusCode(400)
                .body("field", equalTo("metadata"));
        as().body(node("x", "task", "f1", "metadata", Map.of("big", "x".repeat(17_000))))
                .post("/roadmap/nodes")
                .then()
                .statusCode(400)
                .body("field", equalTo("metadata"));
        as().body(node("x", "task", "f1", "dependsOn", List.of("ghost")))
                .post("/roadmap/nodes")
                .then()
                .statusCode(400)
                .body("type", equalTo(PROBLEM + "unknown-dependency"))
                .body("field", equalTo("dependsOn"));
        as().body(node("x", "task", "f1", "dependsOn", List.of("f2")))
                .post("/roadmap/nodes")
                .then()
                .statusCode(400)
                .body("field", equalTo("dependsOn"));
        as().body(node("x", "task", "f1", "dependsOn", List.of("x")))
                .post("/roadmap/nodes")
                .then()
                .statusCode(409)
                .body("type", equalTo(PROBLEM + "dependency-cycle"))
                .body("cycle", contains("x", "x"));
        as().body(node("t1", "task", "f1"))
                .post("/roadmap/nodes")
                .then()
                .statusCode(409)
                .body("type", equalTo(PROBLEM + "node-exists"));
        as().body("[1]").post("/roadmap/nodes").then().statusCode(400);
        given().contentType(ContentType.JSON)
                .body(node("y", "milestone", null))
                .post("/roadmap/nodes")
                .then()
                .statusCode(400)
                .body("field", equalTo(Headers.TENANT));
        // nothing of the refused writes was stored
        as().get("/roadmap/nodes/x").then().statusCode(404).body("type", equalTo(PROBLEM + "node-not-found"));

        as().body(Map.of("name", ""))
                .patch("/roadmap/nodes/t1")
                .then()
                .statusCode(400)
                .body("field", equalTo("name"));
        as().body(Map.of("level", "feature"))
                .patch("/roadmap/nodes/t1")
                .then()
                .statusCode(400)
                .body("field", equalTo("level"));
        as().body(Map.of("links", Map.of("commits", List.of("not a sha"))))
                .patch("/roadmap/nodes/t1")
                .then()
                .statusCode(400)
                .body("field", equalTo("links.commits[0]"));
        as().body(Map.of("links", Map.of("tags", List.of())))
                .patch("/roadmap/nodes/t1")
                .then()
                .statusCode(400)
                .body("field", equalTo("links.tags"));
        as().body(Map.of("name", "n")).patch("/roadmap/nodes/ghost").then().statusCode(404);
        as().get("/roadmap/ready?level=module").then().statusCode(400).body("field", equalTo("level"));
        as().get("/roadmap/nodes/m1/tree?depth=11").then().statusCode(400).body("field", equalTo("depth"));
        as().get("/roadmap/milestones/p1/critical-path").then().statusCode(404);
        as().get("/roadmap/nodes/ghost/progress").then().statusCode(404);
        as().get("/roadmap/ready?under=ghost").then().statusCode(404);
    }

    @Test
    void statusesMoveOnlyAlongTheTableAndAfterTheirDependencies() {
        seed();
        as().body(Map.of("status", "done"))
                .patch("/roadmap/nodes/t1")
                .then()
                .statusCode(409)
                .contentType("application/problem+json")
                .body("type", equalTo(PROBLEM + "invalid-transition"))
                .body("from", equalTo("planned"))
                .body("to", equalTo("done"));
        as().body(Map.of("status", "in_progress"))
                .patch("/roadmap/nodes/t2")
                .then()
                .statusCode(409)
                .body("type", equalTo(PROBLEM + "dependencies-not-done"))
                .body("dependencies", contains("t1"));
        status("t2", "blocked", 200); // blocked needs nothing done
        status("t1", "in_progress", 200);
        as().body(Map.of("status", "done"))
                .patch("/roadmap/nodes/t1")
                .then()
                .statusCode(200)
                .body("status", equalTo("done"))
                .body("version", equalTo(3));
        status("t1", "cancelled", 409);
        status("t2", "in_progress", 200);
        // the same status again is no change at all
        as().body(Map.of("status", "in_progress"))
                .patch("/roadmap/nodes/t2")
                .then()
                .statusCode(200)
                .body("version", equalTo(3));
    }

    @Test
    void dependenciesAreIdempotentAndRefuseCycles() {
        seed();
        create(node("t3", "task", "f1", "dependsOn", List.of("t2")));
        as().put("/roadmap/nodes/t1/dependencies/t3")
                .then()
                .statusCode(409)
                .body("type", equalTo(PROBLEM + "dependency-cycle"))
                .body("cycle", contains("t1", "t3", "t2", "t1"));
        as().put("/roadmap/nodes/t1/dependencies/t1").then().statusCode(409).body("cycle", contains("t1", "t1"));
        as().put("/roadmap/nodes/t1/dependencies/f2").then().statusCode(400).body("field", equalTo("dependsOnId"));
        as().put("/roadmap/nodes/f2/dependencies/f1")
                .then()
                .statusCode(200)
                .body("dependsOn", contains("f1"))
                .body("version", equalTo(2));
        as().put("/roadmap/nodes/f2/dependencies/f1").then().statusCode(200).body("version", equalTo(2));
        as().put("/roadmap/nodes/f1/dependencies/f2").then().statusCode(409).body("cycle", contains("f1", "f2", "f1"));
        as().put("/roadmap/nodes/f2/dependencies/ghost").then().statusCode(404);
        as().delete("/roadmap/nodes/f2/dependencies/f1").then().statusCode(204);
        as().delete("/roadmap/nodes/f2/dependencies/f1").then().statusCode(204);
        as().get("/roadmap/nodes/f2")
                .then()
                .statusCode(200)
                .body("dependsOn", empty())
                .body("version", equalTo(3));
        as().put("/roadmap/nodes/f1/dependencies/f2").then().statusCode(200);
    }

    @Test
    void patchMergesFieldsAndLinks() {
        seed();
        as().body(Map.of(
                        "name",
                        "Form",
                        "estimate",
                        4,
                        "owner",
                        "person:ann",
                        "metadata",
                        Map.of("k", "v"),
                        "links",
                        Map.of(
                                "branch",
                                "feat/form",
                                "commits",
                                List.of("abc1234", "def5678"),
                                "runs",
                                List.of("run-1"),
                                "pullRequest",
                                Map.of("number", 12, "url", "https://git.example/pr/12", "state", "open"))))
                .patch("/roadmap/nodes/t1")
                .then()
                .statusCode(200)
                .body("name", equalTo("Form"))
                .body("estimate", equalTo(4.0f))
                .body("owner", equalTo("person:ann"))
                .body("links.branch", equalTo("feat/form"))
                .body("links.pullRequest.number", equalTo(12))
                .body("version", equalTo(2));
        Map<String, Object> links = new HashMap<>();
        links.put("branch", "feat/form-2");
        links.put("commits", List.of("def5678", "0123abc"));
        links.put("runs", List.of("run-1", "run-2"));
        links.put("pullRequest", null);
        links.put("checks", Map.of("status", "completed", "conclusion", "success"));
        Map<String, Object> patch = new HashMap<>();
        patch.put("links", links);
        patch.put("owner", null);
        as().body(patch)
                .patch("/roadmap/nodes/t1")
                .then()
                .statusCode(200)
                .body("links.branch", equalTo("feat/form-2"))
                .body("links.commits", contains("abc1234", "def5678", "0123abc"))
                .body("links.runs", contains("run-1", "run-2"))
                .body("links.pullRequest", nullValue())
                .body("links.checks.conclusion", equalTo("success"))
                .body("owner", nullValue())
                .body("name", equalTo("Form"))
                .body("metadata.k", equalTo("v"));
        as().get("/roadmap/nodes/t1")
                .then()
                .statusCode(200)
                .body("links.commits", hasSize(3))
                .body("version", equalTo(3));
    }

    @Test
    void patchedMetadataIsAMergePatch() {
        seed();
        as().body(Map.of("metadata", Map.of("delivery", "build_failed", "ciAnalysis", "div multiplies")))
                .patch("/roadmap/nodes/t1")
                .then()
                .statusCode(200);
        Map<String, Object> second = new HashMap<>();
        second.put("delivery", "ready_for_review");
        second.put("stale", null);
        as().body(Map.of("metadata", second))
                .patch("/roadmap/nodes/t1")
                .then()
                .statusCode(200)
                .body("metadata.delivery", equalTo("ready_for_review"))
                .body("metadata.ciAnalysis", equalTo("div multiplies"));
        Map<String, Object> remove = new HashMap<>();
        remove.put("ciAnalysis", null);
        as().body(Map.of("metadata", remove))
                .patch("/roadmap/nodes/t1")
                .then()
                .statusCode(200)
                .body("metadata.ciAnalysis", nullValue())
                .body("metadata.delivery", equalTo("ready_for_review"));
        Map<String, Object> clear = new HashMap<>();
        clear.put("metadata", null);
        as().body(clear).patch("/roadmap/nodes/t1").then().statusCode(200).body("metadata.delivery", nullValue());
        as().body(Map.of("metadata", Map.of("big", "x".repeat(17_000))))
                .patch("/roadmap/nodes/t1")
                .then()
                .statusCode(400)
                .body("field", equalTo("metadata"));
    }

    @Test
    void deletingANodeWithChildrenNeedsCascade() {
        seed();
        as().delete("/roadmap/nodes/f1").then().statusCode(409).body("type", equalTo(PROBLEM + "node-has-children"));
        as().delete("/roadmap/nodes/f2").then().statusCode(204);
        as().delete("/roadmap/nodes/f1?cascade=true").then().statusCode(204);
        as().get("/roadmap/nodes/t1").then().statusCode(404);
        as().get("/roadmap/nodes/t2").then().statusCode(404);
        as().get("/roadmap/nodes/mod").then().statusCode(200).body("children", empty());
        as().delete("/roadmap/nodes/f1").then().statusCode(404);
    }

    @Test
    void anotherTenantSeesNothing() {
        seed();
        String other = "rm-other-" + UUID.randomUUID();
        as(other).get("/roadmap/nodes/t1").then().statusCode(404);
        as(other).get("/roadmap/nodes").then().statusCode(200).body("$", empty());
        as(other).get("/roadmap/ready").then().statusCode(200).body("$", empty());
        as(other).get("/roadmap/order").then().statusCode(200).body("$", empty());
        as(other).get("/roadmap/milestones/m1/critical-path").then().statusCode(404);
        as(other).get("/roadmap/nodes/m1/tree").then().statusCode(404);
        as(other)
                .body(Map.of("status", "in_progress"))
                .patch("/roadmap/nodes/t1")
                .then()
                .statusCode(404);
        as(other).put("/roadmap/nodes/t2/dependencies/t1").then().statusCode(404);
        as(other).delete("/roadmap/nodes/m1?cascade=true").then().statusCode(404);
        as(other)
                .body(node("x", "task", "f1"))
                .post("/roadmap/nodes")
                .then()
                .statusCode(400)
                .body("type", equalTo(PROBLEM + "unknown-parent"));
        // the same ids are free in the other tenant
        as(other)
                .body(node("m1", "milestone", null))
                .post("/roadmap/nodes")
                .then()
                .statusCode(201);
        as().get("/roadmap/nodes/t1").then().statusCode(200);
        as().get("/roadmap/ready?under=m1").then().statusCode(200).body("id", contains("t1"));
    }
}
