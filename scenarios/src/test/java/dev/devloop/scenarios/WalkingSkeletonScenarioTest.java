package dev.devloop.scenarios;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.notContaining;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.client.WireMock;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.model.Filters;
import dev.devloop.contracts.identity.testing.TenantHeaderCredentials;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.bson.Document;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The walking skeleton: gateway → agent → provider → tool → knowledge and back, over REST and Kafka,
 * on the real Redis, MongoDB, Neo4j and Kafka, with only the LLM replaced by an OpenAI-format stub. And the
 * retrieval path: documents ingested through the gateway, a question answered by knowledge-service from them through
 * provider-gateway with the sources cited, for that tenant only.
 */
@ExtendWith(SharedStack.Join.class)
class WalkingSkeletonScenarioTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String MONGO = env("DEVLOOP_MONGO_URL", "mongodb://127.0.0.1:27017");
    private static final String KAFKA = env("DEVLOOP_KAFKA_BOOTSTRAP", "127.0.0.1:9092");

    private static final String CHAT = "/v1/chat/completions";
    /** A fact only the RAG runbook holds: the model stub answers from it only when the prompt carries the runbook. */
    private static final String CODE_WORD =
            "ZEBRA-" + UUID.randomUUID().toString().substring(0, 8);

    private static OpenAiStub openAi;
    private static TestTokens tokens;
    private static DevloopStack stack;
    private static String gateway;

    @BeforeAll
    static void joinTheSharedStack(SharedStack shared) {
        openAi = shared.openAi;
        tokens = shared.tokens;
        stack = shared.stack;
        gateway = stack.service("api-gateway").url();
        // priority 0: above OpenAiStub's own tool-call stubs; the cited answer only when the runbook is in the prompt
        openAi.server()
                .stubFor(post(urlPathEqualTo(CHAT))
                        .atPriority(0)
                        .withRequestBody(containing(CODE_WORD))
                        .willReturn(
                                chat("When the broker's disk is full, lower retention.bytes on the busiest topic and "
                                        + "restart the broker with the code word " + CODE_WORD + " [1].")));
        openAi.server()
                .stubFor(post(urlPathEqualTo(CHAT))
                        .atPriority(0)
                        .withRequestBody(containing("Kafka broker disk is full?"))
                        .withRequestBody(notContaining(CODE_WORD))
                        .willReturn(chat("I do not know: the sources do not say.")));
    }

    @Test
    void aRunTravelsThroughEveryServiceAndBack() throws Exception {
        String tenant = "acme-" + UUID.randomUUID().toString().substring(0, 8);
        // the tenant in the input tells this run's model calls from other classes' on the shared stub
        String input = "Remember that the build server is healthy (" + tenant + ")";

        ExtractableResponse<Response> response = given().baseUri(gateway)
                .header("Authorization", "Bearer " + tokens.token(tenant, "operator"))
                .contentType(ContentType.JSON)
                .body(Map.of("input", input))
                .when()
                .post("/api/v1/agents/assistant/runs?wait=true")
                .then()
                .statusCode(200)
                .body("status", equalTo("COMPLETED"))
                .body("result", equalTo(OpenAiStub.FINAL_ANSWER))
                .body("steps.kind", contains("model_call", "tool_call", "model_call"))
                .body("steps[1].tool", equalTo("store_fact"))
                .body("steps[1].status", equalTo("SUCCEEDED"))
                .body("steps[1].output.tier", equalTo("medium"))
                .extract();
        String runId = response.path("id");
        String agentId = response.path("agentId");
        String traceId = response.header("X-Devloop-Trace-Id");

        // the run and its steps are stored and can be read back through the gateway
        given().baseUri(gateway)
                .header("Authorization", "Bearer " + tokens.token(tenant, "viewer"))
                .when()
                .get("/api/v1/runs/" + runId)
                .then()
                .statusCode(200)
                .body("steps.kind", contains("model_call", "tool_call", "model_call"));

        // the model saw the tool spec and, on its second call, the tool result under the call id
        openAi.server()
                .verify(
                        2,
                        WireMock.postRequestedFor(WireMock.urlPathEqualTo("/v1/chat/completions"))
                                .withRequestBody(WireMock.containing(input)));
        openAi.server()
                .verify(WireMock.postRequestedFor(WireMock.urlPathEqualTo("/v1/chat/completions"))
                        .withRequestBody(WireMock.containing(input))
                        .withRequestBody(WireMock.containing("\"store_fact\""))
                        .withRequestBody(WireMock.containing("call_store_1")));

        // a TTL of one hour put the fact in the medium tier: MongoDB
        try (MongoClient mongo = MongoClients.create(MONGO)) {
            Document fact = mongo.getDatabase("devloop_knowledge")
                    .getCollection("facts")
                    .find(Filters.and(
                            Filters.eq("tenant", tenant),
                            Filters.eq("entity", "build-server"),
                            Filters.eq("attribute", "status")))
                    .first();
            assertThat(fact).as("medium-tier fact in MongoDB").isNotNull();
            assertThat(fact.toJson()).contains("healthy");
        }

        // and it reads back through knowledge-service's cascade
        given().baseUri(stack.service("knowledge-service").url())
                .header("X-Devloop-Tenant", tenant)
                .when()
                .get("/facts/build-server/status")
                .then()
                .statusCode(200)
                .body("tier", equalTo("medium"))
                .body("value", equalTo("healthy"));

        // a service answers only its siblings: the same read without an internal credential is refused, while the
        // gateway serves it to the user's JWT
        given().baseUri(stack.service("knowledge-service").url())
                .header(TenantHeaderCredentials.ANONYMOUS, "true")
                .header("X-Devloop-Tenant", tenant)
                .when()
                .get("/facts/build-server/status")
                .then()
                .statusCode(401)
                .contentType("application/problem+json");
        given().baseUri(gateway)
                .header("Authorization", "Bearer " + tokens.token(tenant, "viewer"))
                .when()
                .get("/api/v1/facts/build-server/status")
                .then()
                .statusCode(200)
                .body("value", equalTo("healthy"));

        // the spawn is on Kafka
        assertThat(lifecycleEventsFor(agentId)).anySatisfy(e -> {
            assertThat(e.path("type").asText()).isEqualTo("dev.devloop.agent.spawned");
            assertThat(e.path("tenant").asText()).isEqualTo(tenant);
        });

        // one trace id spans every service
        assertThat(traceId).as("X-Devloop-Trace-Id").matches("[0-9a-f]{32}");
        assertThat(response.<String>path("traceId")).isEqualTo(traceId);
        for (ServiceProcess service : stack.all()) {
            assertThat(service.logText())
                    .as(service.name + " log carries trace " + traceId)
                    .contains(traceId);
        }
    }

    @Test
    void theGatewayRefusesBadCallsWithProblemDetails() {
        String tenant = "acme-" + UUID.randomUUID().toString().substring(0, 8);
        String runs = "/api/v1/agents/assistant/runs";
        given().baseUri(gateway)
                .contentType(ContentType.JSON)
                .body("{\"input\":\"x\"}")
                .post(runs)
                .then()
                .statusCode(401)
                .contentType("application/problem+json");
        given().baseUri(gateway)
                .header("Authorization", "Bearer not.a.token")
                .contentType(ContentType.JSON)
                .body("{\"input\":\"x\"}")
                .post(runs)
                .then()
                .statusCode(401)
                .contentType("application/problem+json");
        given().baseUri(gateway)
                .header("Authorization", "Bearer " + tokens.expiredToken(tenant, "operator"))
                .contentType(ContentType.JSON)
                .body("{\"input\":\"x\"}")
                .post(runs)
                .then()
                .statusCode(401)
                .contentType("application/problem+json");
        given().baseUri(gateway)
                .header("Authorization", "Bearer " + tokens.token(tenant, "viewer"))
                .contentType(ContentType.JSON)
                .body("{\"input\":\"x\"}")
                .post(runs)
                .then()
                .statusCode(403)
                .contentType("application/problem+json");
        given().baseUri(gateway)
                .header("Authorization", "Bearer " + tokens.token(tenant, "operator"))
                .contentType(ContentType.JSON)
                .body("{\"input\":\"x\"}")
                .post("/api/v1/agents/no_such_type/runs?wait=true")
                .then()
                .statusCode(404)
                .contentType("application/problem+json");
        given().baseUri(gateway)
                .header("Authorization", "Bearer " + tokens.token(tenant, "operator"))
                .contentType(ContentType.JSON)
                .body("{\"input\": oops")
                .post(runs)
                .then()
                .statusCode(400)
                .contentType("application/problem+json");
    }

    private static List<JsonNode> lifecycleEventsFor(String agentId) throws Exception {
        List<JsonNode> events = new ArrayList<>();
        Properties props = new Properties();
        props.put("bootstrap.servers", KAFKA);
        props.put("group.id", "scenario-" + UUID.randomUUID());
        props.put("auto.offset.reset", "earliest");
        try (KafkaConsumer<String, String> consumer =
                new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of("devloop.agent.lifecycle"));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (System.nanoTime() < deadline && events.isEmpty()) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(500))) {
                    if (agentId.equals(record.key())) {
                        events.add(JSON.readTree(record.value()));
                    }
                }
            }
        }
        return events;
    }

    @Test
    void aQuestionIsAnsweredFromTheTenantsDocumentsWithTheSourcesCited() {
        String tenant = "rag-" + UUID.randomUUID().toString().substring(0, 8);
        String other = "rag-other-" + UUID.randomUUID().toString().substring(0, 8);
        String runbook = "runbook-kafka-" + UUID.randomUUID().toString().substring(0, 8);
        ingest(
                tenant,
                runbook,
                "Kafka broker runbook",
                "When the Kafka broker's disk is full, lower retention.bytes on the busiest topic, wait for the log "
                        + "cleaner, then restart the broker. The operator code word for this procedure is "
                        + CODE_WORD + ".");
        ingest(
                tenant,
                "lunch-" + UUID.randomUUID().toString().substring(0, 8),
                "Canteen menu",
                "On Fridays the canteen serves fish and chips; the salad bar opens at noon.");

        JsonPath answer = rag(tenant, "What do I do when the Kafka broker disk is full?");

        assertThat(answer.getString("answer")).contains(CODE_WORD).contains("[1]");
        assertThat(answer.getString("sources[0].documentId")).isEqualTo(runbook);
        assertThat(answer.getString("sources[0].title")).isEqualTo("Kafka broker runbook");
        assertThat(answer.getInt("sources[0].index")).isEqualTo(1);
        assertThat(answer.getString("provider")).isEqualTo("openai");
        assertThat(answer.getInt("usage.totalTokens")).isPositive();
        // the hop carried the retrieved text to the model, as numbered sources, with the question
        openAi.server()
                .verify(postRequestedFor(urlPathEqualTo(CHAT))
                        .withRequestBody(containing(CODE_WORD))
                        .withRequestBody(containing("[1]"))
                        .withRequestBody(containing("Kafka broker disk is full?")));

        // the other tenant asks the same question: none of the first tenant's documents reach it or its model call
        int before = openAi.server()
                .findAll(postRequestedFor(urlPathEqualTo(CHAT)).withRequestBody(containing(CODE_WORD)))
                .size();
        JsonPath foreign = rag(other, "What do I do when the Kafka broker disk is full?");

        assertThat(foreign.getList("sources.documentId")).doesNotContain(runbook);
        assertThat(foreign.getString("answer")).doesNotContain(CODE_WORD);
        assertThat(openAi.server()
                        .findAll(postRequestedFor(urlPathEqualTo(CHAT)).withRequestBody(containing(CODE_WORD)))
                        .size())
                .as("the other tenant's model call carries none of the first tenant's text")
                .isEqualTo(before);
    }

    @Test
    void aQuestionWithoutTextIsRefusedNamingTheField() {
        String tenant = "rag-bad-" + UUID.randomUUID().toString().substring(0, 8);
        given().baseUri(gateway)
                .header("Authorization", "Bearer " + tokens.token(tenant, "viewer"))
                .contentType(ContentType.JSON)
                .body(Map.of("question", ""))
                .when()
                .post("/api/v1/rag/query")
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body(org.hamcrest.Matchers.containsString("question"));
    }

    private static void ingest(String tenant, String id, String title, String text) {
        given().baseUri(gateway)
                .header("Authorization", "Bearer " + tokens.token(tenant, "operator"))
                .contentType(ContentType.JSON)
                .body(Map.of("id", id, "title", title, "text", text))
                .when()
                .post("/api/v1/documents")
                .then()
                .statusCode(org.hamcrest.Matchers.anyOf(
                        org.hamcrest.Matchers.equalTo(200), org.hamcrest.Matchers.equalTo(201)));
    }

    private static JsonPath rag(String tenant, String question) {
        return given().baseUri(gateway)
                .header("Authorization", "Bearer " + tokens.token(tenant, "viewer"))
                .contentType(ContentType.JSON)
                .body(Map.of("question", question, "limit", 3))
                .when()
                .post("/api/v1/rag/query")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
    }

    private static ResponseDefinitionBuilder chat(String content) {
        return aResponse()
                .withStatus(200)
                .withHeader("Content-Type", "application/json")
                .withBody("""
            {"id":"chatcmpl-rag","object":"chat.completion","created":1764000000,"model":"gpt-4o-mini",
             "choices":[{"index":0,"message":{"role":"assistant","content":%s},"finish_reason":"stop"}],
             "usage":{"prompt_tokens":120,"completion_tokens":30,"total_tokens":150}}
            """.formatted(quoted(content)));
    }

    private static String quoted(String text) {
        return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}
