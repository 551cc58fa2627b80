package dev.devloop.tools.adapters.in.mcp;

import static dev.devloop.tools.support.Fixtures.tenant;
import static dev.devloop.tools.support.RestInvocations.invoke;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.mongodb.client.MongoClient;
import com.mongodb.client.model.Filters;
import dev.devloop.contracts.Headers;
import dev.devloop.contracts.identity.testing.TenantHeaderCredentials;
import dev.devloop.contracts.identity.testing.TestCredentials;
import dev.devloop.tools.support.NodeMcp;
import dev.devloop.tools.support.Stored;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.response.ValidatableResponse;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import org.bson.Document;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * MCP both ways against the official TypeScript SDK: our client imports an SDK server (never sending it our
 * credential), an SDK client calls us (with a token for tool-service; the session acts for the token's tenant).
 */
@QuarkusTest
class McpInteropTest {
    private static NodeMcp.Server sdkServer;
    private static NodeMcp.Clients sdkClients;
    private final ObjectMapper json = new ObjectMapper();

    @Inject
    MongoClient mongo;

    @BeforeAll
    static void startSdkServer() throws Exception {
        NodeMcp.prepare();
        sdkServer = NodeMcp.launchServer();
        sdkClients = NodeMcp.launchClients();
        sdkServer.awaitReady();
        sdkClients.awaitReady();
    }

    @AfterAll
    static void stopSdkServer() {
        if (sdkServer != null) {
            sdkServer.close();
        }
        if (sdkClients != null) {
            sdkClients.close();
        }
    }

    private static Response importServer(String tenant, String name, String url, String types) {
        return given().header(Headers.TENANT, tenant)
                .contentType(ContentType.JSON)
                .body("""
            {"name":"%s","url":"%s","transport":"streamable-http","allowedAgentTypes":%s,"timeoutMs":5000}""".formatted(name, url, types))
                .when()
                .post("/mcp-servers");
    }

    /** A GET as the tenant, answered 200. */
    private static ValidatableResponse read(String tenant, String path) {
        return given().header(Headers.TENANT, tenant).when().get(path).then().statusCode(200);
    }

    private String sdkUrl() {
        return "http://127.0.0.1:" + sdkServer.port() + "/mcp";
    }

    @Test
    void importsAnSdkServerAndInvokesItsToolsThroughTheUseCase() {
        String tenant = tenant();
        importServer(tenant, "x", sdkUrl(), "[\"assistant\"]")
                .then()
                .statusCode(201)
                .body("name", equalTo("x"))
                .body("transport", equalTo("streamable-http"))
                .body("tools.id", hasItem("mcp_x_add"))
                .body("tools.id", hasItem("mcp_x_echo"))
                .body("skipped.size()", equalTo(0));

        read(tenant, "/tools/mcp_x_add")
                .body("kind", equalTo("mcp"))
                .body("parameters.properties.a.type", equalTo("number"))
                .body("limits.timeoutMs", equalTo(5000));
        read(tenant, "/tools?agentType=assistant").body("name", hasItem("mcp_x_echo"));
        read(tenant, "/tools?agentType=diagnostic").body("name", not(hasItem("mcp_x_echo")));

        invoke(tenant, "mcp_x_add", "{\"a\":2,\"b\":3}", "assistant")
                .statusCode(200)
                .body("status", equalTo("SUCCEEDED"))
                .body("output.text", equalTo("5"));
        invoke(tenant, "mcp_x_echo", "{\"message\":\"hi\"}", "assistant")
                .statusCode(200)
                .body("output.text", equalTo("echo: hi"));
        // the remote server's error result is a FAILED invocation
        invoke(tenant, "mcp_x_fail", "{\"reason\":\"testing\"}", "assistant")
                .statusCode(200)
                .body("status", equalTo("FAILED"))
                .body("error", equalTo("failed because testing"));
        // the imported schema is enforced locally, before the remote server is called
        invoke(tenant, "mcp_x_add", "{\"a\":\"two\",\"b\":3}", "assistant")
                .statusCode(400)
                .body("field", equalTo("a"));
        invoke(tenant, "mcp_x_add", "{\"a\":1,\"b\":1}", "diagnostic")
                .statusCode(403)
                .body("field", equalTo("agentType"));
        // another tenant does not see this tenant's import
        invoke(tenant(), "mcp_x_add", "{\"a\":1,\"b\":1}", "assistant").statusCode(404);

        List<Document> audit =
                Stored.audit(mongo, Filters.and(Filters.eq("tenant", tenant), Filters.regex("toolId", "^mcp_x_")));
        assertThat(audit)
                .extracting(d -> d.getString("outcome"))
                .contains("SUCCEEDED", "FAILED", "INVALID_ARGUMENTS", "DENIED");
        List<String> seen = sdkServer.output();
        assertThat(seen).anyMatch(line -> line.startsWith("TRACEPARENT 00-"));
        // a remote MCP server is outside the cell: it never gets tool-service's internal token
        assertThat(seen).noneMatch(line -> line.startsWith("AUTHORIZATION"));

        read(tenant, "/mcp-servers").body("name", hasItem("x")).body("[0].url", equalTo(sdkUrl()));
        given().header(Headers.TENANT, tenant)
                .when()
                .delete("/mcp-servers/x")
                .then()
                .statusCode(200);
        invoke(tenant, "mcp_x_add", "{\"a\":2,\"b\":3}", "assistant").statusCode(404);
        read(tenant, "/mcp-servers").body("size()", equalTo(0));
        given().header(Headers.TENANT, tenant)
                .when()
                .delete("/mcp-servers/x")
                .then()
                .statusCode(404);
    }

    @Test
    void theLegacySseTransportIsRefusedNamingIt() {
        String tenant = tenant();
        // its connections could not be pinned to the checked address: refused rather than spoken unpinned
        given().header(Headers.TENANT, tenant)
                .contentType(ContentType.JSON)
                .body("""
            {"name":"legacy","url":"http://127.0.0.1:%d/sse","transport":"sse","allowedAgentTypes":["*"]}""".formatted(sdkServer.port()))
                .when()
                .post("/mcp-servers")
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("field", equalTo("transport"))
                .body("detail", org.hamcrest.Matchers.containsString("streamable-http"));
        read(tenant, "/mcp-servers").body("size()", equalTo(0));
    }

    @Test
    void rejectsUnsafeOrMalformedServers() {
        String tenant = tenant();
        importServer(tenant, "meta", "http://169.254.169.254/mcp", "[\"*\"]")
                .then()
                .statusCode(403)
                .body("detail", org.hamcrest.Matchers.containsString("ssrf"))
                .body("field", equalTo("url"));
        importServer(tenant, "private", "http://10.1.2.3/mcp", "[\"*\"]").then().statusCode(403);
        importServer(tenant, "ftp", "ftp://example.org/mcp", "[\"*\"]")
                .then()
                .statusCode(400)
                .body("field", equalTo("url"));
        importServer(tenant, "Bad_Name", sdkUrl(), "[\"*\"]")
                .then()
                .statusCode(400)
                .body("field", equalTo("name"));
        importServer(tenant, "down", "http://127.0.0.1:1/mcp", "[\"*\"]").then().statusCode(502);
        given().header(Headers.TENANT, tenant)
                .contentType(ContentType.JSON)
                .body("{\"name\":\"y\",\"url\":\"" + sdkUrl()
                        + "\",\"transport\":\"carrier-pigeon\",\"allowedAgentTypes\":[\"*\"]}")
                .when()
                .post("/mcp-servers")
                .then()
                .statusCode(400)
                .body("field", equalTo("transport"));
        given().contentType(ContentType.JSON)
                .body("{}")
                .when()
                .post("/mcp-servers")
                .then()
                .statusCode(400)
                .body("field", equalTo(Headers.TENANT));
    }

    @Test
    void sdkClientListsAndCallsOurTools() throws Exception {
        String tenant = tenant();
        String url = "http://127.0.0.1:" + RestAssured.port + "/mcp";
        NodeMcp.ClientRun run = sdkClients.run(
                TestCredentials.bearer("tool-service", tenant), url, tenant, "assistant", "hello from the SDK");
        assertThat(run.exitCode()).as(run.stdout()).isZero();
        JsonNode out = json.readTree(run.stdout());

        List<String> names = new ArrayList<>();
        out.get("tools").forEach(t -> names.add(t.get("name").asText()));
        assertThat(names).contains("log_activity", "store_fact", "read_file").doesNotContain("check_connectivity");
        JsonNode logActivity = null;
        for (JsonNode t : out.get("tools")) {
            if (t.get("name").asText().equals("log_activity")) {
                logActivity = t;
            }
        }
        assertThat(logActivity.at("/inputSchema/required").toString()).contains("message");

        JsonNode result = out.get("result");
        assertThat(result.path("isError").asBoolean(false)).isFalse();
        JsonNode output = json.readTree(result.at("/content/0/text").asText());
        assertThat(output.get("id").asText()).isNotBlank();
        Document activity = Stored.activity(mongo, tenant);
        assertThat(activity).isNotNull();
        assertThat(activity.getString("message")).isEqualTo("hello from the SDK");

        assertThat(out.at("/invalid/isError").asBoolean()).isTrue();
        assertThat(out.at("/invalid/content/0/text").asText()).contains("message");
        assertThat(out.at("/denied/isError").asBoolean()).isTrue();
        assertThat(out.at("/denied/content/0/text").asText()).contains("allowedAgentTypes");
    }

    @Test
    void sdkClientWithoutTenantIsRefusedNamingIt() throws Exception {
        String url = "http://127.0.0.1:" + RestAssured.port + "/mcp";
        // a valid credential acting for no tenant, and no tenant header
        NodeMcp.ClientRun run =
                sdkClients.run(TestCredentials.bearer("tool-service", null), url, "", "assistant", "nobody");
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.stdout()).contains(Headers.TENANT);
    }

    @Test
    void anMcpInitializeWithoutACredentialIsUnauthenticated() throws Exception {
        String initialize = """
            {"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18",
             "capabilities":{},"clientInfo":{"name":"no-credential","version":"1"}}}""";
        given().header(TenantHeaderCredentials.ANONYMOUS, "1")
                .header(Headers.TENANT, tenant())
                .header(Headers.AGENT_TYPE, "assistant")
                .header("Accept", "application/json, text/event-stream")
                .contentType(ContentType.JSON)
                .body(initialize)
                .when()
                .post("/mcp")
                .then()
                .statusCode(401)
                .contentType("application/problem+json")
                .header("WWW-Authenticate", equalTo("Bearer realm=\"devloop-cell\""));
        given().header(TenantHeaderCredentials.ANONYMOUS, "1")
                .header(Headers.TENANT, tenant())
                .header(Headers.AGENT_TYPE, "assistant")
                .when()
                .get("/mcp/sse")
                .then()
                .statusCode(401);
        // a token for another service is no credential for tool-service
        given().header("Authorization", TestCredentials.bearer("knowledge-service", tenant()))
                .header(Headers.AGENT_TYPE, "assistant")
                .header("Accept", "application/json, text/event-stream")
                .contentType(ContentType.JSON)
                .body(initialize)
                .when()
                .post("/mcp")
                .then()
                .statusCode(403);

        String url = "http://127.0.0.1:" + RestAssured.port + "/mcp";
        NodeMcp.ClientRun run = sdkClients.run(null, url, tenant(), "assistant", "no credential");
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.stdout()).contains("401");
    }

    @Test
    void theSessionActsForTheTokensTenantNotAForgedHeader() throws Exception {
        String owner = tenant();
        String forged = tenant();
        String url = "http://127.0.0.1:" + RestAssured.port + "/mcp";
        NodeMcp.ClientRun run = sdkClients.run(
                TestCredentials.bearer("tool-service", owner), url, forged, "assistant", "whose activity");
        assertThat(run.exitCode()).as(run.stdout()).isZero();
        Document owners = Stored.activity(mongo, owner);
        assertThat(owners).isNotNull();
        assertThat(owners.getString("message")).isEqualTo("whose activity");
        assertThat(Stored.activity(mongo, forged)).isNull();
    }

    @Test
    void sdkClientOverTheSseTransportCallsOurTools() throws Exception {
        String tenant = tenant();
        String url = "http://127.0.0.1:" + RestAssured.port + "/mcp/sse";
        NodeMcp.ClientRun run = sdkClients.run(
                TestCredentials.bearer("tool-service", tenant), url, tenant, "assistant", "over sse", "sse");
        assertThat(run.exitCode()).as(run.stdout()).isZero();
        JsonNode out = json.readTree(run.stdout());
        assertThat(out.at("/result/isError").asBoolean(false)).isFalse();
        assertThat(out.at("/denied/isError").asBoolean()).isTrue();
        Document activity = Stored.activity(mongo, tenant);
        assertThat(activity).isNotNull();
        assertThat(activity.getString("message")).isEqualTo("over sse");
    }
}
