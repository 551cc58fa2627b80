package dev.devloop.scenarios;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.notContaining;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The roadmap graph through the whole stack (docs/roadmap.md): an operator imports a roadmap as YAML through
 * the gateway; a planner agent (scripted OpenAI model) proposes two tasks; both wait for approval, the operator
 * approves one and rejects the other; then tasks complete, and the roll-up and ready set move, with every status
 * change on Kafka and on the gateway's SSE stream; finally GitHub's recorded {@code pull_request} merged webhook,
 * signed and sent to the gateway, marks the feature done and its release notes list it.
 */
@ExtendWith(SharedStack.Join.class)
class RoadmapScenarioTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String KAFKA = System.getenv().getOrDefault("DEVLOOP_KAFKA_BOOTSTRAP", "127.0.0.1:9092");
    private static final String TOPIC = "devloop.roadmap.events";
    private static final String CHAT = "/v1/chat/completions";
    private static final String ROADMAP = """
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
                      tasks:
                        - {id: login-form, name: Login form, estimate: 2}
                        - {id: login-api, name: Login API, estimate: 3, dependsOn: [login-form]}
      """;

    private static OpenAiStub openAi;
    private static TestTokens tokens;
    private static DevloopStack stack;

    @BeforeAll
    static void joinTheSharedStack(SharedStack shared) {
        openAi = shared.openAi;
        tokens = shared.tokens;
        stack = shared.stack;
        script();
    }

    /** The planner proposes two tasks in one answer (with its reasoning), then sums up once both are decided. */
    private static void script() {
        String keep = "{\"level\":\"task\",\"parentId\":\"login\",\"id\":\"login-tests\",\"name\":\"Login tests\","
                + "\"estimate\":1,\"dependsOn\":[\"login-api\"]}";
        String drop =
                "{\"level\":\"task\",\"parentId\":\"login\",\"id\":\"login-captcha\",\"name\":\"Captcha\",\"estimate\":5}";
        openAi.server()
                .stubFor(post(urlPathEqualTo(CHAT))
                        .atPriority(1)
                        .withRequestBody(containing("[plan-login]"))
                        .withRequestBody(notContaining("tool_call_id"))
                        .willReturn(json("""
            {"id":"chatcmpl-plan","object":"chat.completion","created":1764000000,"model":"gpt-4o-mini",
             "choices":[{"index":0,"message":{"role":"assistant","content":null,
               "reasoning_content":"The login feature lacks tests; a captcha may help against abuse.",
               "tool_calls":[
                 {"id":"call_keep","type":"function","function":{"name":"roadmap_create_node","arguments":%s}},
                 {"id":"call_drop","type":"function","function":{"name":"roadmap_create_node","arguments":%s}}]},
               "finish_reason":"tool_calls"}],
             "usage":{"prompt_tokens":90,"completion_tokens":40,"total_tokens":130}}
            """.formatted(quoted(keep), quoted(drop)))));
        openAi.server()
                .stubFor(post(urlPathEqualTo(CHAT))
                        .atPriority(1)
                        .withRequestBody(containing("[plan-login]"))
                        .withRequestBody(containing("call_drop"))
                        .withRequestBody(containing("tool_call_id"))
                        .willReturn(json("""
            {"id":"chatcmpl-done","object":"chat.completion","created":1764000000,"model":"gpt-4o-mini",
             "choices":[{"index":0,"message":{"role":"assistant","content":"Planned: login tests added; captcha rejected."},
               "finish_reason":"stop"}],
             "usage":{"prompt_tokens":120,"completion_tokens":10,"total_tokens":130}}
            """)));
    }

    @Test
    void anImportedRoadmapIsPlannedUnderApprovalAndRollsUpAsTasksComplete() throws Exception {
        String tenant = "roadmap-" + UUID.randomUUID().toString().substring(0, 8);
        String operator = tokens.token(tenant, "operator");
        List<JsonNode> sse = new CopyOnWriteArrayList<>();
        Thread sseReader = readSse(operator, sse);
        try (KafkaConsumer<String, String> events = roadmapConsumer()) {
            // 1. import as YAML; a second import of the same document changes nothing
            JsonPath imported = gateway(operator)
                    .contentType("application/yaml")
                    .body(ROADMAP.getBytes(StandardCharsets.UTF_8))
                    .post("/api/v1/roadmap/import")
                    .then()
                    .statusCode(200)
                    .extract()
                    .jsonPath();
            assertThat(imported.getInt("created")).isEqualTo(6);
            JsonPath again = gateway(operator)
                    .contentType("application/yaml")
                    .body(ROADMAP.getBytes(StandardCharsets.UTF_8))
                    .post("/api/v1/roadmap/import")
                    .then()
                    .statusCode(200)
                    .extract()
                    .jsonPath();
            assertThat(again.getInt("created")).isZero();
            assertThat(again.getInt("updated")).isZero();
            // a viewer reads but cannot write
            gateway(tokens.token(tenant, "viewer"))
                    .get("/api/v1/roadmap/nodes/login")
                    .then()
                    .statusCode(200);
            gateway(tokens.token(tenant, "viewer"))
                    .contentType("application/yaml")
                    .body(ROADMAP.getBytes(StandardCharsets.UTF_8))
                    .post("/api/v1/roadmap/import")
                    .then()
                    .statusCode(403);
            // another tenant sees none of it
            gateway(tokens.token("other-" + tenant, "operator"))
                    .get("/api/v1/roadmap/nodes/login")
                    .then()
                    .statusCode(404);
            assertThat(readyTasks(operator)).containsExactly("login-form");

            // 2. the planner proposes two tasks; the run waits for the operator
            String runId = gateway(operator)
                    .contentType(ContentType.JSON)
                    .body(Map.of("input", "[plan-login] plan the remaining work of feature login"))
                    .post("/api/v1/agents/planner/runs")
                    .then()
                    .statusCode(202)
                    .extract()
                    .jsonPath()
                    .getString("id");
            JsonPath pending = eventually(
                    operator,
                    "/api/v1/approvals?status=pending&runId=" + runId,
                    body -> body.getList("items").size() == 2,
                    60);
            assertThat(pending.getList("items.tool")).containsOnly("roadmap_create_node");
            assertThat(pending.getString("items[0].reasoning")).contains("captcha");
            String keep = pending.getString("items.find { it.arguments.id == 'login-tests' }.id");
            String drop = pending.getString("items.find { it.arguments.id == 'login-captcha' }.id");
            assertThat(run(operator, runId).getString("status")).isEqualTo("AWAITING_APPROVAL");
            gateway(operator).get("/api/v1/roadmap/nodes/login-tests").then().statusCode(404);

            // 3. approve one, reject the other; the run resumes and ends
            gateway(operator)
                    .contentType(ContentType.JSON)
                    .body(Map.of("note", "yes"))
                    .post("/api/v1/approvals/" + keep + "/approve")
                    .then()
                    .statusCode(200);
            gateway(operator)
                    .contentType(ContentType.JSON)
                    .body(Map.of("reason", "no captcha in the beta"))
                    .post("/api/v1/approvals/" + drop + "/reject")
                    .then()
                    .statusCode(200);
            gateway(operator)
                    .contentType(ContentType.JSON)
                    .body(Map.of("reason", "twice"))
                    .post("/api/v1/approvals/" + drop + "/reject")
                    .then()
                    .statusCode(409);
            JsonPath finished = eventually(
                    operator, "/api/v1/runs/" + runId, body -> "COMPLETED".equals(body.getString("status")), 60);
            assertThat(finished.getString("result")).contains("captcha rejected");
            assertThat(finished.getString("steps.find { it.kind == 'model_call' }.reasoning"))
                    .contains("lacks tests");
            gateway(operator).get("/api/v1/roadmap/nodes/login-tests").then().statusCode(200);
            gateway(operator).get("/api/v1/roadmap/nodes/login-captcha").then().statusCode(404);

            // 4. tasks complete: the roll-up and the ready set move
            assertThat(progress(operator, "login")).isEqualTo(0.0);
            setStatus(operator, "login-api", "in_progress", 409); // its dependency is not done
            setStatus(operator, "login-form", "in_progress", 200);
            setStatus(operator, "login-form", "done", 200);
            setStatus(operator, "login-form", "cancelled", 409); // done → cancelled makes no sense
            assertThat(progress(operator, "login")).isCloseTo(2.0 / 6.0, org.assertj.core.data.Offset.offset(1e-6));
            assertThat(readyTasks(operator)).containsExactly("login-api");
            setStatus(operator, "login-api", "in_progress", 200);
            setStatus(operator, "login-api", "done", 200);
            assertThat(progress(operator, "m1")).isCloseTo(5.0 / 6.0, org.assertj.core.data.Offset.offset(1e-6));
            assertThat(readyTasks(operator)).containsExactly("login-tests");
            JsonPath critical = gateway(operator)
                    .get("/api/v1/roadmap/milestones/m1/critical-path")
                    .then()
                    .statusCode(200)
                    .extract()
                    .jsonPath();
            assertThat(critical.getList("path.id")).containsExactly("login-form", "login-api", "login-tests");

            // 5. every status change reached Kafka and the SSE stream, and the roll-up came with it
            List<JsonNode> onKafka = awaitEvents(
                    events,
                    tenant,
                    list -> statusChanges(list) >= 4
                            && list.stream()
                                    .anyMatch(e -> e.path("type").asText().endsWith("progress.changed")
                                            && "m1"
                                                    .equals(e.path("data")
                                                            .path("id")
                                                            .asText())),
                    Duration.ofSeconds(30));
            assertThat(onKafka).allMatch(e -> tenant.equals(e.path("tenant").asText()));
            awaitSse(sse, list -> statusChanges(list) >= 4, Duration.ofSeconds(30));
            assertThat(sse).allMatch(e -> tenant.equals(e.path("tenant").asText()));

            // 6. GitHub says the feature's pull request was merged: a signed webhook through the gateway marks it done
            String secret = "scenario-secret-" + UUID.randomUUID();
            gateway(tokens.token(tenant, "admin"))
                    .contentType(ContentType.JSON)
                    .body(Map.of("secret", secret))
                    .put("/api/v1/integrations/github/secret")
                    .then()
                    .statusCode(204);
            byte[] merged = mergedPullRequestFor("login");
            String delivery = UUID.randomUUID().toString();
            github(tenant, delivery, merged, sign(secret, merged)).then().statusCode(202);
            github(tenant, delivery, merged, sign(secret, merged)).then().statusCode(200); // GitHub's redelivery
            github(tenant, UUID.randomUUID().toString(), merged, sign("not-" + secret, merged))
                    .then()
                    .statusCode(401);
            JsonPath login = eventually(
                    operator, "/api/v1/roadmap/nodes/login", body -> "done".equals(body.getString("status")), 30);
            assertThat(login.getString("links.pullRequest.state")).isEqualTo("merged");
            assertThat(gateway(operator)
                            .get("/api/v1/roadmap/nodes/login-tests")
                            .then()
                            .statusCode(200)
                            .extract()
                            .jsonPath()
                            .getString("status"))
                    .as("the merge closes the feature's open tasks")
                    .isEqualTo("done");
            assertThat(progress(operator, "m1")).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-6));
            String notes = gateway(operator)
                    .get("/api/v1/roadmap/milestones/m1/release-notes")
                    .then()
                    .statusCode(200)
                    .contentType(org.hamcrest.Matchers.startsWith("text/markdown"))
                    .extract()
                    .asString();
            assertThat(notes).contains("## [Public beta]").contains("### Added").contains("Login page");
        } finally {
            sseReader.interrupt();
        }
    }

    /** The recorded {@code pull_request} closed-and-merged payload, its head branch pointed at the feature. */
    private static byte[] mergedPullRequestFor(String featureId) throws Exception {
        Path root = Path.of(System.getProperty("devloop.root", ".."))
                .toAbsolutePath()
                .normalize();
        Path recorded = root.resolve("knowledge-service/src/test/resources/github/pull_request.closed.merged.json");
        if (!java.nio.file.Files.exists(recorded)) {
            recorded = Path.of("..")
                    .toAbsolutePath()
                    .normalize()
                    .resolve("knowledge-service/src/test/resources/github/pull_request.closed.merged.json");
        }
        com.fasterxml.jackson.databind.node.ObjectNode payload = (com.fasterxml.jackson.databind.node.ObjectNode)
                JSON.readTree(java.nio.file.Files.readAllBytes(recorded));
        ((com.fasterxml.jackson.databind.node.ObjectNode)
                        payload.path("pull_request").path("head"))
                .put("ref", "feature/" + featureId);
        return JSON.writeValueAsBytes(payload);
    }

    private static io.restassured.response.Response github(
            String tenant, String delivery, byte[] body, String signature) {
        return given().baseUri(stack.service("api-gateway").url())
                .contentType(ContentType.JSON)
                .header("X-GitHub-Event", "pull_request")
                .header("X-GitHub-Delivery", delivery)
                .header("X-Hub-Signature-256", signature)
                .body(body)
                .post("/api/v1/integrations/github/" + tenant + "/webhook");
    }

    private static String sign(String secret, byte[] body) throws Exception {
        javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
        mac.init(new javax.crypto.spec.SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return "sha256=" + java.util.HexFormat.of().formatHex(mac.doFinal(body));
    }

    private static long statusChanges(List<JsonNode> events) {
        return events.stream()
                .filter(e -> e.path("type").asText().equals("dev.devloop.roadmap.status.changed"))
                .count();
    }

    private static RequestSpecification gateway(String token) {
        return given().baseUri(stack.service("api-gateway").url()).header("Authorization", "Bearer " + token);
    }

    private static JsonPath run(String token, String runId) {
        return gateway(token)
                .get("/api/v1/runs/" + runId)
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
    }

    private static List<String> readyTasks(String token) {
        return gateway(token)
                .get("/api/v1/roadmap/ready?level=task&under=m1")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getList("items.id");
    }

    private static double progress(String token, String id) {
        return gateway(token)
                .get("/api/v1/roadmap/nodes/" + id + "/progress")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getDouble("progress");
    }

    private static void setStatus(String token, String id, String status, int expected) {
        gateway(token)
                .contentType(ContentType.JSON)
                .body(Map.of("status", status))
                .patch("/api/v1/roadmap/nodes/" + id)
                .then()
                .statusCode(expected);
    }

    private static JsonPath eventually(String token, String path, Predicate<JsonPath> holds, int seconds)
            throws InterruptedException {
        long deadline = System.nanoTime() + seconds * 1_000_000_000L;
        String last = "none";
        while (System.nanoTime() < deadline) {
            var response = gateway(token).get(path).then().extract();
            if (response.statusCode() == 200) {
                if (holds.test(response.jsonPath())) {
                    return response.jsonPath();
                }
            }
            last = response.statusCode() + " " + response.asString();
            Thread.sleep(300);
        }
        throw new AssertionError(path + " did not reach the expected state in " + seconds + " s; last: " + last);
    }

    /** Reads the gateway's SSE stream of the roadmap channel into {@code sink} until interrupted. */
    private static Thread readSse(String token, List<JsonNode> sink) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        HttpRequest request = HttpRequest.newBuilder(
                        URI.create(stack.service("api-gateway").url() + "/api/v1/events?channels=roadmap"))
                .header("Authorization", "Bearer " + token)
                .header("Accept", "text/event-stream")
                .build();
        HttpResponse<java.io.InputStream> response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
        assertThat(response.statusCode()).as("SSE subscription").isEqualTo(200);
        Thread reader = new Thread(
                () -> {
                    try (BufferedReader lines =
                            new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
                        String line;
                        while (!Thread.currentThread().isInterrupted() && (line = lines.readLine()) != null) {
                            if (line.startsWith("data:")) {
                                sink.add(JSON.readTree(line.substring(5).trim()));
                            }
                        }
                    } catch (Exception e) {
                        // the stream ends when the test interrupts the reader or the stack stops
                    }
                },
                "roadmap-sse");
        reader.setDaemon(true);
        reader.start();
        return reader;
    }

    private static void awaitSse(List<JsonNode> sse, Predicate<List<JsonNode>> holds, Duration timeout)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (holds.test(sse)) {
                return;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("SSE did not carry the expected roadmap events; got " + sse);
    }

    private static List<JsonNode> awaitEvents(
            KafkaConsumer<String, String> consumer, String tenant, Predicate<List<JsonNode>> holds, Duration timeout)
            throws Exception {
        List<JsonNode> seen = new ArrayList<>();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(300))) {
                JsonNode event = JSON.readTree(record.value());
                if (tenant.equals(event.path("tenant").asText())) {
                    assertThat(record.key())
                            .as("roadmap events are keyed by tenant")
                            .isEqualTo(tenant);
                    seen.add(event);
                }
            }
            if (holds.test(seen)) {
                return seen;
            }
        }
        throw new AssertionError("no expected roadmap events on " + TOPIC + " within " + timeout + "; got " + seen);
    }

    /** Assigned to every partition at the end, before anything is produced, so no event can be missed. */
    private static KafkaConsumer<String, String> roadmapConsumer() {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA);
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        KafkaConsumer<String, String> consumer =
                new KafkaConsumer<>(p, new StringDeserializer(), new StringDeserializer());
        List<TopicPartition> partitions = consumer.partitionsFor(TOPIC).stream()
                .map(info -> new TopicPartition(TOPIC, info.partition()))
                .toList();
        consumer.assign(partitions);
        consumer.seekToEnd(partitions);
        partitions.forEach(consumer::position);
        return consumer;
    }

    private static String quoted(String json) {
        return "\"" + json.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    private static ResponseDefinitionBuilder json(String body) {
        return aResponse()
                .withStatus(200)
                .withHeader("Content-Type", "application/json")
                .withBody(body);
    }
}
