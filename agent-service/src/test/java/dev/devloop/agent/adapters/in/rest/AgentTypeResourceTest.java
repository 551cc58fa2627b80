package dev.devloop.agent.adapters.in.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;

import dev.devloop.contracts.Headers;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Registering, reading, updating and removing agent types per tenant, on the real MongoDB. */
@QuarkusTest
class AgentTypeResourceTest {
    @Inject
    TestPorts.Model model;

    @Inject
    TestPorts.Tools tools;

    private final String tenant = "t-" + UUID.randomUUID();
    private final String other = "o-" + UUID.randomUUID();

    @BeforeEach
    void reset() {
        model.reset();
        tools.reset();
    }

    private RequestSpecification as(String t) {
        return given().header(Headers.TENANT, t).contentType(ContentType.JSON);
    }

    private static String definition(String type, String level, String extra) {
        return "{\"type\":\"" + type + "\",\"level\":\"" + level + "\",\"description\":\"d\","
                + "\"instructions\":\"You review code.\",\"limits\":{\"maxTurns\":4,\"maxTokens\":10000,\"maxSeconds\":60"
                + ",\"maxChildren\":2}" + extra + "}";
    }

    @Test
    void aRegisteredTypeIsVisibleOnlyToItsTenantAndRunsLikeAShippedOne() {
        as(tenant)
                .body(definition(
                        "reviewer",
                        "parent",
                        ",\"allowedChildTypes\":[\"repair\"],\"handoffTargets\":[\"planner\"],"
                                + "\"promptTemplate\":\"chain_of_thought\""))
                .post("/agent-types")
                .then()
                .statusCode(201)
                .header("Location", containsString("/agent-types/reviewer"))
                .body("type", equalTo("reviewer"))
                .body("scope", equalTo("tenant"))
                .body("level", equalTo("parent"))
                .body("promptTemplate", equalTo("chain_of_thought"));

        as(tenant)
                .get("/agent-types/reviewer")
                .then()
                .statusCode(200)
                .body("maxTurns", equalTo(4))
                .body("allowedChildTypes", hasItem("repair"))
                .body("handoffTargets", hasItem("planner"));
        as(tenant)
                .get("/agent-types")
                .then()
                .statusCode(200)
                .body("type", hasItem("reviewer"))
                .body("type", hasItem("system_health"));
        as(other).get("/agent-types/reviewer").then().statusCode(404);
        as(other).get("/agent-types").then().statusCode(200).body("type", not(hasItem("reviewer")));
        as(other)
                .body("{\"input\":\"review\"}")
                .post("/agents/reviewer/runs?wait=true")
                .then()
                .statusCode(404);

        model.answer("looks fine");
        as(tenant)
                .body("{\"input\":\"review the diff\"}")
                .post("/agents/reviewer/runs?wait=true")
                .then()
                .statusCode(200)
                .body("status", equalTo("COMPLETED"))
                .body("agentType", equalTo("reviewer"))
                .body("result", equalTo("looks fine"));
        // the system prompt came from the registered definition through its template
        org.assertj.core.api.Assertions.assertThat(
                        model.requests().get(0).messages().get(0).content())
                .contains("You review code.")
                .contains("You are the Devloop reviewer agent");

        // it spawns the children it allows, like a shipped parent
        String parent = as(tenant)
                .body("{\"type\":\"reviewer\"}")
                .post("/agents")
                .then()
                .statusCode(201)
                .extract()
                .path("id");
        as(tenant)
                .body("{\"type\":\"repair\",\"parentId\":\"" + parent + "\"}")
                .post("/agents")
                .then()
                .statusCode(201);
        as(tenant)
                .body("{\"type\":\"diagnostic\",\"parentId\":\"" + parent + "\"}")
                .post("/agents")
                .then()
                .statusCode(409);
    }

    @Test
    void everyFieldIsValidatedAsData() {
        as(tenant)
                .body(definition("Bad-Name", "child", ""))
                .post("/agent-types")
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("field", equalTo("type"));
        as(tenant)
                .body(definition("x1", "boss", ""))
                .post("/agent-types")
                .then()
                .statusCode(400)
                .body("field", equalTo("level"));
        as(tenant)
                .body(definition("x1", "child", ",\"promptTemplate\":\"nope\""))
                .post("/agent-types")
                .then()
                .statusCode(400)
                .body("field", equalTo("promptTemplate"));
        // a template declaring a variable no definition provides
        as(tenant)
                .body(definition("x1", "child", ",\"promptTemplate\":\"needs_customer\""))
                .post("/agent-types")
                .then()
                .statusCode(400)
                .body("field", equalTo("promptTemplate"))
                .body("detail", containsString("customer"));
        as(tenant)
                .body(definition("x1", "parent", ",\"allowedChildTypes\":[\"ghost\"]"))
                .post("/agent-types")
                .then()
                .statusCode(400)
                .body("field", equalTo("allowedChildTypes"));
        // children must sit below: a micro agent cannot spawn a child agent
        as(tenant)
                .body(definition("x1", "micro", ",\"allowedChildTypes\":[\"diagnostic\"]"))
                .post("/agent-types")
                .then()
                .statusCode(400)
                .body("field", equalTo("allowedChildTypes"));
        as(tenant)
                .body(definition("x1", "child", ",\"handoffTargets\":[\"ghost\"]"))
                .post("/agent-types")
                .then()
                .statusCode(400)
                .body("field", equalTo("handoffTargets"));
        as(tenant)
                .body("{\"type\":\"x1\",\"level\":\"child\",\"instructions\":\"i\",\"limits\":{\"maxTurns\":1000,"
                        + "\"maxTokens\":10,\"maxSeconds\":10}}")
                .post("/agent-types")
                .then()
                .statusCode(400)
                .body("field", equalTo("limits.maxTurns"));
        as(tenant)
                .body("{\"type\":\"x1\",\"level\":\"child\",\"instructions\":\"i\",\"limits\":{\"maxTurns\":3,"
                        + "\"maxTokens\":10,\"maxSeconds\":999999}}")
                .post("/agent-types")
                .then()
                .statusCode(400)
                .body("field", equalTo("limits.maxSeconds"));
        as(tenant)
                .body("{\"type\":\"x1\",\"level\":\"child\",\"instructions\":\"i\",\"limits\":{\"maxTurns\":3,"
                        + "\"maxTokens\":10,\"maxSeconds\":10,\"maxChildren\":500}}")
                .post("/agent-types")
                .then()
                .statusCode(400)
                .body("field", equalTo("limits.maxChildren"));
        as(tenant)
                .body("{\"type\":\"x1\",\"level\":\"child\",\"instructions\":\"i\",\"limits\":{\"maxTurns\":3,"
                        + "\"maxSeconds\":10}}")
                .post("/agent-types")
                .then()
                .statusCode(400)
                .body("field", equalTo("limits.maxTokens"));
        as(tenant)
                .body(
                        "{\"type\":\"x1\",\"level\":\"child\",\"limits\":{\"maxTurns\":3,\"maxTokens\":10,\"maxSeconds\":10}}")
                .post("/agent-types")
                .then()
                .statusCode(400)
                .body("field", equalTo("instructions"));
        as(tenant)
                .body(definition("x1", "child", ",\"instructions\":\"" + "y".repeat(9000) + "\""))
                .post("/agent-types")
                .then()
                .statusCode(400)
                .body("field", equalTo("instructions"));
        as(tenant).get("/agent-types/x1").then().statusCode(404);
        given().get("/agent-types").then().statusCode(400).body("field", equalTo(Headers.TENANT));
    }

    @Test
    void shippedTypesCannotBeShadowedReplacedOrRemovedAndDuplicatesConflict() {
        as(tenant)
                .body(definition("planner", "child", ""))
                .post("/agent-types")
                .then()
                .statusCode(409)
                .body("detail", containsString("shipped"));
        as(tenant)
                .body(definition("planner", "child", ""))
                .put("/agent-types/planner")
                .then()
                .statusCode(409);
        as(tenant).delete("/agent-types/planner").then().statusCode(409);

        as(tenant)
                .body(definition("notes", "child", ""))
                .post("/agent-types")
                .then()
                .statusCode(201);
        as(tenant)
                .body(definition("notes", "child", ""))
                .post("/agent-types")
                .then()
                .statusCode(409)
                .body("detail", containsString("already registered"));
        // another tenant may register the same name: registrations are per tenant
        as(other)
                .body(definition("notes", "child", ""))
                .post("/agent-types")
                .then()
                .statusCode(201);
    }

    @Test
    void anUpdateReplacesTheDefinitionAndARemovalNeedsNoLiveAgentsNorReferrers() {
        as(tenant)
                .body(definition("helper", "micro", ""))
                .post("/agent-types")
                .then()
                .statusCode(201);
        as(tenant)
                .body(definition("lead", "child", ",\"allowedChildTypes\":[\"helper\"]"))
                .post("/agent-types")
                .then()
                .statusCode(201);

        as(tenant)
                .body(
                        "{\"level\":\"micro\",\"instructions\":\"Help more.\",\"limits\":{\"maxTurns\":2,\"maxTokens\":500,"
                                + "\"maxSeconds\":30}}")
                .put("/agent-types/helper")
                .then()
                .statusCode(200)
                .body("instructions", equalTo("Help more."))
                .body("maxTurns", equalTo(2));
        as(tenant).get("/agent-types/helper").then().statusCode(200).body("maxTokens", equalTo(500));
        as(tenant)
                .body(definition("other_name", "micro", ""))
                .put("/agent-types/helper")
                .then()
                .statusCode(400)
                .body("field", equalTo("type"));
        as(other)
                .body(definition("helper", "micro", ""))
                .put("/agent-types/helper")
                .then()
                .statusCode(404);

        // referenced by lead → 409; lead goes first
        as(tenant).delete("/agent-types/helper").then().statusCode(409).body("detail", containsString("lead"));
        String agent = as(tenant)
                .body("{\"type\":\"lead\"}")
                .post("/agents")
                .then()
                .statusCode(201)
                .extract()
                .path("id");
        as(tenant).delete("/agent-types/lead").then().statusCode(409).body("detail", containsString("live"));
        as(tenant).delete("/agents/" + agent).then().statusCode(200);
        as(tenant).delete("/agent-types/lead").then().statusCode(204);
        as(tenant).delete("/agent-types/helper").then().statusCode(204);
        as(tenant).get("/agent-types/helper").then().statusCode(404);
        as(tenant).delete("/agent-types/helper").then().statusCode(404);
    }
}
