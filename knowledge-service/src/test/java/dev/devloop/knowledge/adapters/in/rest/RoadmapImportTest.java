package dev.devloop.knowledge.adapters.in.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;

import dev.devloop.contracts.Headers;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code POST /roadmap/import} in JSON and YAML against the real Neo4j. */
@QuarkusTest
class RoadmapImportTest {
    private static final String PROBLEM = "https://devloop.dev/problems/";
    static final String YAML = """
      milestones:
        - id: m1
          name: Public beta
          phases:
            - id: m1-build
              name: Build
              modules:
                - id: auth
                  name: Authentication
                  features:
                    - id: login
                      name: Login page
                      estimate: 5
                      tasks:
                        - {id: login-form, name: Form, estimate: 2}
                        - {id: login-api, name: API, estimate: 3, dependsOn: [login-form]}
      """;

    private String tenant;

    @BeforeEach
    void newTenant() {
        tenant = "rmi-" + UUID.randomUUID();
    }

    private static byte[] bytes(String text) {
        return text.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    private RequestSpecification as() {
        return given().header(Headers.TENANT, tenant);
    }

    @Test
    void aYamlImportIsAppliedOnceAndASecondImportChangesNothing() {
        as().contentType("application/yaml")
                .body(bytes(YAML))
                .post("/roadmap/import")
                .then()
                .statusCode(200)
                .body("created", equalTo(6))
                .body("updated", equalTo(0))
                .body("unchanged", equalTo(0))
                .body("dependencies", equalTo(1));
        as().contentType("text/yaml")
                .body(bytes(YAML))
                .post("/roadmap/import")
                .then()
                .statusCode(200)
                .body("created", equalTo(0))
                .body("updated", equalTo(0))
                .body("unchanged", equalTo(6))
                .body("dependencies", equalTo(0));
        as().get("/roadmap/nodes/login-api")
                .then()
                .statusCode(200)
                .body("parentId", equalTo("login"))
                .body("dependsOn", contains("login-form"))
                .body("version", equalTo(1))
                .body("estimate", equalTo(3.0f));
        as().get("/roadmap/nodes/m1")
                .then()
                .statusCode(200)
                .body("children", contains("m1-build"))
                .body("progress.tasks", equalTo(2))
                .body("progress.estimateTotal", equalTo(5.0f));
        // a changed field updates that node only
        as().contentType("application/yaml")
                .body(bytes(YAML.replace("name: API", "name: Login API")))
                .post("/roadmap/import")
                .then()
                .statusCode(200)
                .body("created", equalTo(0))
                .body("updated", equalTo(1))
                .body("unchanged", equalTo(5));
        as().get("/roadmap/nodes/login-api")
                .then()
                .statusCode(200)
                .body("name", equalTo("Login API"))
                .body("version", equalTo(2));
    }

    @Test
    void aJsonImportAddsToExistingNodesAndDependencies() {
        as().contentType("application/yaml")
                .body(bytes(YAML))
                .post("/roadmap/import")
                .then()
                .statusCode(200);
        String json = """
        {"milestones": [{"id": "m1", "name": "Public beta", "phases": [{"id": "m1-build", "name": "Build",
          "modules": [{"id": "auth", "name": "Authentication", "features": [{"id": "login", "name": "Login page",
            "estimate": 5, "tasks": [{"id": "login-tests", "name": "Tests", "status": "planned",
              "metadata": {"kind": "qa"}, "dependsOn": ["login-api", "login-form"]}]}]}]}]}]}
        """;
        as().contentType(ContentType.JSON)
                .body(json)
                .post("/roadmap/import")
                .then()
                .statusCode(200)
                .body("created", equalTo(1))
                .body("updated", equalTo(0))
                .body("unchanged", equalTo(4))
                .body("dependencies", equalTo(2));
        as().get("/roadmap/nodes/login-tests")
                .then()
                .statusCode(200)
                .body("metadata.kind", equalTo("qa"))
                .body("dependsOn", contains("login-api", "login-form"));
        as().get("/roadmap/nodes/login")
                .then()
                .statusCode(200)
                .body("children", contains("login-api", "login-form", "login-tests"));
    }

    @Test
    void aBadDocumentIsRefusedNamingThePathAndChangesNothing() {
        as().contentType("application/yaml")
                .body(bytes(YAML))
                .post("/roadmap/import")
                .then()
                .statusCode(200);
        String missingName = YAML.replace("{id: login-api, name: API,", "{id: login-api,")
                .replace("name: Public beta", "name: Renamed");
        as().contentType("application/yaml")
                .body(bytes(missingName))
                .post("/roadmap/import")
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("field", equalTo("milestones[0].phases[0].modules[0].features[0].tasks[1].name"));
        String unknownDep = YAML.replace("dependsOn: [login-form]", "dependsOn: [ghost]")
                .replace("name: Public beta", "name: Renamed");
        as().contentType("application/yaml")
                .body(bytes(unknownDep))
                .post("/roadmap/import")
                .then()
                .statusCode(400)
                .body("type", equalTo(PROBLEM + "unknown-dependency"))
                .body("field", equalTo("milestones[0].phases[0].modules[0].features[0].tasks[1].dependsOn[0]"));
        String cycle = YAML.replace(
                        "{id: login-form, name: Form, estimate: 2}",
                        "{id: login-form, name: Form, estimate: 2, dependsOn: [login-api]}")
                .replace("name: Public beta", "name: Renamed");
        as().contentType("application/yaml")
                .body(bytes(cycle))
                .post("/roadmap/import")
                .then()
                .statusCode(409)
                .body("type", equalTo(PROBLEM + "dependency-cycle"))
                .body("cycle", contains("login-api", "login-form", "login-api"));
        String badLevel = YAML.replace("- id: m1-build", "- id: login-form");
        as().contentType("application/yaml")
                .body(bytes(badLevel))
                .post("/roadmap/import")
                .then()
                .statusCode(400);
        String duplicate = YAML.replace("{id: login-api,", "{id: login-form,");
        as().contentType("application/yaml")
                .body(bytes(duplicate))
                .post("/roadmap/import")
                .then()
                .statusCode(400)
                .body("field", equalTo("milestones[0].phases[0].modules[0].features[0].tasks[1].id"));
        as().contentType("application/yaml")
                .body(bytes("milestones:\n  - name: no id\n"))
                .post("/roadmap/import")
                .then()
                .statusCode(400)
                .body("field", equalTo("milestones[0].id"));
        as().contentType("application/yaml")
                .body(bytes("milestones:\n  - id: m9\n    name: x\n    tasks: []\n"))
                .post("/roadmap/import")
                .then()
                .statusCode(400)
                .body("field", equalTo("milestones[0].tasks"));
        as().contentType("application/yaml")
                .body(bytes("milestones: [unclosed"))
                .post("/roadmap/import")
                .then()
                .statusCode(400)
                .body("type", equalTo(PROBLEM + "malformed-body"))
                .body("field", equalTo("body"));
        as().contentType(ContentType.JSON)
                .body("{\"milestones\": 3}")
                .post("/roadmap/import")
                .then()
                .statusCode(400)
                .body("field", equalTo("milestones"));
        as().contentType(ContentType.JSON)
                .body("{\"roadmap\": []}")
                .post("/roadmap/import")
                .then()
                .statusCode(400)
                .body("field", equalTo("roadmap"));
        // none of the refused documents wrote anything
        as().get("/roadmap/nodes/m1")
                .then()
                .statusCode(200)
                .body("name", equalTo("Public beta"))
                .body("version", equalTo(1));
        as().get("/roadmap/nodes/login-form").then().statusCode(200).body("dependsOn", empty());
        as().get("/roadmap/nodes?level=milestone").then().statusCode(200).body("id", contains("m1"));
    }

    @Test
    void anImportIsBounded() {
        byte[] big = new byte[8 * 1024 * 1024 + 1];
        java.util.Arrays.fill(big, (byte) ' ');
        as().contentType(ContentType.JSON)
                .body(big)
                .post("/roadmap/import")
                .then()
                .statusCode(413)
                .body("field", equalTo("body"));
        as().contentType("text/plain")
                .body("milestones: []")
                .post("/roadmap/import")
                .then()
                .statusCode(415);
        given().contentType("application/yaml")
                .body(bytes(YAML))
                .post("/roadmap/import")
                .then()
                .statusCode(400)
                .body("field", equalTo(Headers.TENANT));
        as().get("/roadmap/nodes").then().statusCode(200).body("$", empty());
        as().contentType("application/yaml")
                .body(bytes("milestones: []"))
                .post("/roadmap/import")
                .then()
                .statusCode(200)
                .body("created", equalTo(0));
        as().contentType("application/yaml")
                .body(bytes("milestones:\n  - id: m1\n    name: n\n    status: doing\n"))
                .post("/roadmap/import")
                .then()
                .statusCode(400)
                .body("field", equalTo("milestones[0].status"))
                .body("detail", containsString("planned"));
    }
}
