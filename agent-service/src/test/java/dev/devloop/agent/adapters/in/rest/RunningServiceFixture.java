package dev.devloop.agent.adapters.in.rest;

import static io.restassured.RestAssured.given;

import dev.devloop.contracts.Headers;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;

/**
 * The set-up the REST tests of runs share: a tenant of their own, the scripted model and recording tools reset
 * before each test, and the calls most of them make (register an agent type, spawn an agent, start a run).
 */
abstract class RunningServiceFixture {
    @Inject
    TestPorts.Model model;

    @Inject
    TestPorts.Tools tools;

    protected final String tenant = "t-" + UUID.randomUUID();

    @BeforeEach
    void resetScripts() {
        model.reset();
        tools.reset();
    }

    /** A JSON request as this test's tenant. */
    protected RequestSpecification as() {
        return given().header(Headers.TENANT, tenant).contentType(ContentType.JSON);
    }

    /** Registers the agent type {@code definition} (JSON) for this tenant; 201. */
    protected ValidatableResponse registerType(String definition) {
        return as().body(definition).post("/agent-types").then().statusCode(201);
    }

    /** Spawns an agent of {@code type} (under {@code parentId}, or none); its id. */
    protected String spawn(String type, String parentId) {
        return as().body("{\"type\":\"" + type + "\"" + (parentId == null ? "" : ",\"parentId\":\"" + parentId + "\"")
                        + "}")
                .post("/agents")
                .then()
                .statusCode(201)
                .extract()
                .path("id");
    }

    /** Starts a run on {@code agentRef} (an agent id or type) in the background; its id. */
    protected String startRun(String agentRef, String input) {
        return as().body("{\"input\":\"" + input + "\"}")
                .post("/agents/" + agentRef + "/runs")
                .then()
                .statusCode(202)
                .extract()
                .path("id");
    }
}
