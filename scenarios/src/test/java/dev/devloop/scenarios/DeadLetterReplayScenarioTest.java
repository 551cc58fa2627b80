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
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.model.Filters;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.bson.Document;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A dead-letter backlog repaired by the System Health agent (issue 18), checked by the state afterwards. The cause:
 * tasks on {@code devloop.agent.tasks} name a tenant agent type that is not registered yet, so agent-service
 * dead-letters them. The fix: the type is registered through the gateway. The repair: a {@code system_health} run
 * of an operator tenant (scripted model) spawns a repair agent whose {@code replay_dead_letters} call republishes
 * them; each task then has exactly one COMPLETED run and {@code dead_letters} reports nothing left. The stack has its
 * own topic prefix, so no other stack's dead letters are in the way.
 */
class DeadLetterReplayScenarioTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String KAFKA = System.getenv().getOrDefault("DEVLOOP_KAFKA_BOOTSTRAP", "127.0.0.1:9092");
    private static final String MONGO = System.getenv().getOrDefault("DEVLOOP_MONGO_URL", "mongodb://127.0.0.1:27017");
    private static final String CHAT = "/v1/chat/completions";
    private static final String PREFIX = "dlq" + UUID.randomUUID().toString().substring(0, 8) + ".";
    private static final String TASKS = PREFIX + "devloop.agent.tasks";
    private static final String DLQ = TASKS + ".dlq";
    private static final String OPERATOR = "ops-" + UUID.randomUUID().toString().substring(0, 8);

    private static OpenAiStub openAi;
    private static TestTokens tokens;
    private static DevloopStack stack;

    @BeforeAll
    static void startTheStack() throws Exception {
        SharedStack.release(); // its settings differ from the shared stack's: one stack at a time
        Path root = Path.of(System.getProperty("devloop.root", ".."))
                .toAbsolutePath()
                .normalize();
        Path work = root.resolve("scenarios/target/dead-letters-" + System.currentTimeMillis());
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", KAFKA))) {
            for (String topic : List.of(TASKS, DLQ)) {
                try {
                    admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1)))
                            .all()
                            .get(30, TimeUnit.SECONDS);
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw e;
                    }
                }
            }
        }
        openAi = new OpenAiStub();
        script();
        tokens = new TestTokens(work.resolve("keys"));
        stack = DevloopStack.start(
                root,
                work,
                DevloopStack.env(
                        openAi,
                        tokens,
                        Map.of(
                                "DEVLOOP_TOPIC_PREFIX",
                                PREFIX,
                                // replay_dead_letters is an operator action: a dead-letter topic holds every tenant's
                                // records
                                "DEVLOOP_OPERATOR_TENANTS",
                                OPERATOR)));
    }

    @AfterAll
    static void stopTheStack() throws Exception {
        if (stack != null) {
            stack.close();
        }
        if (openAi != null) {
            openAi.close();
        }
    }

    /**
     * The System Health agent spawns a repair agent scoped to the dead-letter tools (the narrowest that do the job),
     * which replays the tasks' dead-letter topic.
     */
    private static void script() {
        stub(
                List.of("[dlq-backlog]"),
                List.of("tool_call_id"),
                toolCalls(
                        "call_health_spawn",
                        "spawn_agent",
                        "{\"agent_type\":\"repair\",\"task\":\"[replay-tasks] the triage agent type is registered"
                                + " now: replay the dead-lettered agent tasks\",\"tools\":[\"replay_dead_letters\","
                                + "\"dead_letters\"]}"));
        stub(
                List.of("[dlq-backlog]", "tool_call_id"),
                List.of(),
                text("A repair agent replayed the dead-lettered tasks."));
        stub(
                List.of("[replay-tasks]"),
                List.of("tool_call_id", "[dlq-backlog]"),
                toolCalls(
                        "call_replay_1",
                        "replay_dead_letters",
                        "{\"topic\":\"" + DLQ + "\",\"reason\":\"triage is registered now\"}"));
        stub(List.of("[replay-tasks]", "tool_call_id"), List.of("[dlq-backlog]"), text("dead letters replayed"));
        // the replayed tasks themselves
        stub(List.of("[triage-task]"), List.of(), text("triaged"));
    }

    private static void stub(List<String> contains, List<String> absent, ResponseDefinitionBuilder answer) {
        var mapping = post(urlPathEqualTo(CHAT)).atPriority(1);
        for (String c : contains) {
            mapping = mapping.withRequestBody(containing(c));
        }
        for (String a : absent) {
            mapping = mapping.withRequestBody(notContaining(a));
        }
        openAi.server().stubFor(mapping.willReturn(answer));
    }

    private static ResponseDefinitionBuilder text(String content) {
        return json("""
        {"id":"chatcmpl-%s","object":"chat.completion","created":1764000000,"model":"gpt-4o-mini",
         "choices":[{"index":0,"message":{"role":"assistant","content":"%s"},"finish_reason":"stop"}],
         "usage":{"prompt_tokens":50,"completion_tokens":12,"total_tokens":62}}
        """.formatted(UUID.randomUUID(), content));
    }

    private static ResponseDefinitionBuilder toolCalls(String id, String name, String arguments) {
        return json("""
        {"id":"chatcmpl-%s","object":"chat.completion","created":1764000000,"model":"gpt-4o-mini",
         "choices":[{"index":0,"message":{"role":"assistant","content":null,"tool_calls":[
           {"id":"%s","type":"function","function":{"name":"%s","arguments":"%s"}}]},
           "finish_reason":"tool_calls"}],
         "usage":{"prompt_tokens":60,"completion_tokens":25,"total_tokens":85}}
        """.formatted(
                UUID.randomUUID(), id, name, arguments.replace("\\", "\\\\").replace("\"", "\\\"")));
    }

    private static ResponseDefinitionBuilder json(String body) {
        return aResponse()
                .withStatus(200)
                .withHeader("Content-Type", "application/json")
                .withBody(body);
    }

    @Test
    void theSystemHealthAgentReplaysTasksDeadLetteredBeforeTheirAgentTypeExisted() throws Exception {
        String tenant = "dlq-" + UUID.randomUUID().toString().substring(0, 8);
        List<String> taskIds =
                List.of("task-" + UUID.randomUUID(), "task-" + UUID.randomUUID(), "task-" + UUID.randomUUID());

        // the cause: tasks for an agent type the tenant has not registered yet
        try (KafkaTasks producer =
                KafkaTasks.granted(stack.service("api-gateway").url(), tokens.token(tenant, "admin"), KAFKA, TASKS)) {
            for (int i = 0; i < taskIds.size(); i++) {
                producer.send(tenant, task(taskIds.get(i), tenant, "[triage-task] " + i));
            }
        }
        List<ConsumerRecord<String, String>> deadLettered = awaitDeadLetters(tenant, taskIds, Duration.ofSeconds(120));
        assertThat(deadLettered).allSatisfy(r -> assertThat(
                        new String(r.headers().lastHeader("dead-letter-topic").value(), StandardCharsets.UTF_8))
                .isEqualTo(TASKS));
        assertThat(runs(tenant)).as("no run before the fix").isEmpty();

        // the fix: the agent type is registered through the gateway
        given().baseUri(stack.service("api-gateway").url())
                .header("Authorization", "Bearer " + tokens.token(tenant, "operator"))
                .contentType(ContentType.JSON)
                .body(Map.of(
                        "type", "triage",
                        "level", "child",
                        "description", "Triages one incoming task.",
                        "instructions", "Triage the task and answer in one word.",
                        "limits", Map.of("maxTurns", 3, "maxTokens", 10000, "maxSeconds", 120)))
                .when()
                .post("/api/v1/agent-types")
                .then()
                .statusCode(201);

        // the repair: an operator's System Health agent has the backlog replayed
        JsonPath run = given().baseUri(stack.service("api-gateway").url())
                .header("Authorization", "Bearer " + tokens.token(OPERATOR, "operator"))
                .contentType(ContentType.JSON)
                .body(Map.of("input", "[dlq-backlog] tasks are piling up on " + DLQ))
                .when()
                .post("/api/v1/agents/system_health/runs?wait=true")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        assertThat(run.getString("status")).isEqualTo("COMPLETED");
        assertThat(run.getString("steps[1].tool")).isEqualTo("spawn_agent");

        // checked by the state: each task ran exactly once, to completion
        Map<String, List<String>> byTask = awaitCompleted(tenant, taskIds, Duration.ofSeconds(120));
        assertThat(byTask.keySet()).containsExactlyInAnyOrderElementsOf(taskIds);
        byTask.forEach((task, statuses) -> assertThat(statuses).as(task).containsExactly("COMPLETED"));
        try (MongoClient mongo = MongoClients.create(MONGO)) {
            Document replay = mongo.getDatabase("devloop_tools")
                    .getCollection("invocations")
                    .find(Filters.and(Filters.eq("tenant", OPERATOR), Filters.eq("toolId", "replay_dead_letters")))
                    .first();
            assertThat(replay).as("the repair agent's replay_dead_letters call").isNotNull();
            Document result = replay.get("result", Document.class);
            assertThat(result.getString("status")).isEqualTo("SUCCEEDED");
            JsonNode output = JSON.readTree(result.getString("output"));
            // dead-lettering is at least once (a redelivery after a rebalance dead-letters a record again), so the
            // topic may hold a task twice: every record on it is replayed, and the runs above show each ran once
            assertThat(output.path("replayed").asInt())
                    .as(output.toString())
                    .isEqualTo(deadLetterCount())
                    .isGreaterThanOrEqualTo(taskIds.size());
            assertThat(output.path("skipped").asInt()).isZero();
        }
        JsonNode left =
                JSON.readTree(given().baseUri(stack.service("tool-service").url())
                        .header("X-Devloop-Tenant", OPERATOR)
                        .contentType(ContentType.JSON)
                        .body(Map.of(
                                "arguments",
                                Map.of("topic", DLQ),
                                "agentType",
                                "diagnostic",
                                "agentId",
                                "scenario",
                                "runId",
                                "scenario-" + UUID.randomUUID(),
                                "idempotencyKey",
                                UUID.randomUUID().toString()))
                        .when()
                        .post("/tools/dead_letters/invocations")
                        .then()
                        .statusCode(200)
                        .extract()
                        .asString());
        assertThat(left.path("status").asText()).isEqualTo("SUCCEEDED");
        assertThat(left.path("output").path("backlog").asLong())
                .as(left.toString())
                .isZero();
    }

    /** The tenant's runs of the given tasks, their statuses by task, once every task has a finished run. */
    private static Map<String, List<String>> awaitCompleted(String tenant, List<String> taskIds, Duration timeout)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        Map<String, List<String>> byTask = Map.of();
        while (System.nanoTime() < deadline) {
            byTask = new HashMap<>();
            for (Document run : runs(tenant)) {
                byTask.computeIfAbsent(run.getString("taskId"), t -> new ArrayList<>())
                        .add(run.getString("status"));
            }
            boolean done = byTask.keySet().containsAll(taskIds)
                    && byTask.values().stream().flatMap(List::stream).noneMatch(s -> List.of(
                                    "QUEUED", "RUNNING", "AWAITING_APPROVAL")
                            .contains(s));
            if (done) {
                // a moment more: a second run of one task (a replay run twice) would show up now
                Thread.sleep(2000);
                byTask = new HashMap<>();
                for (Document run : runs(tenant)) {
                    byTask.computeIfAbsent(run.getString("taskId"), t -> new ArrayList<>())
                            .add(run.getString("status"));
                }
                return byTask;
            }
            Thread.sleep(500);
        }
        throw new AssertionError("the replayed tasks did not finish within " + timeout + "; runs: " + byTask);
    }

    private static List<Document> runs(String tenant) {
        try (MongoClient mongo = MongoClients.create(MONGO)) {
            return mongo.getDatabase("devloop_agents")
                    .getCollection("runs")
                    .find(Filters.eq("tenant", tenant))
                    .into(new ArrayList<>());
        }
    }

    /** The tenant's records on the dead-letter topic, once every task is among them (a task may be there twice). */
    private static List<ConsumerRecord<String, String>> awaitDeadLetters(
            String tenant, List<String> taskIds, Duration timeout) throws Exception {
        List<ConsumerRecord<String, String>> mine = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        try (KafkaConsumer<String, String> consumer = dlqReader()) {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (!seen.containsAll(taskIds) && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(500))) {
                    JsonNode event = JSON.readTree(r.value());
                    if (tenant.equals(event.path("tenant").asText())) {
                        mine.add(r);
                        seen.add(event.path("id").asText());
                    }
                }
            }
        }
        assertThat(seen).as("tasks dead-lettered on " + DLQ).containsExactlyInAnyOrderElementsOf(taskIds);
        return mine;
    }

    /** Every record on the stack's own dead-letter topic, which only this test's tasks reach. */
    private static long deadLetterCount() {
        try (KafkaConsumer<String, String> consumer = dlqReader()) {
            var partitions = consumer.assignment();
            return consumer.endOffsets(partitions).values().stream()
                    .mapToLong(Long::longValue)
                    .sum();
        }
    }

    private static KafkaConsumer<String, String> dlqReader() {
        Properties p = new Properties();
        p.put("bootstrap.servers", KAFKA);
        p.put("enable.auto.commit", "false");
        KafkaConsumer<String, String> consumer =
                new KafkaConsumer<>(p, new StringDeserializer(), new StringDeserializer());
        List<TopicPartition> partitions = consumer.partitionsFor(DLQ).stream()
                .map(i -> new TopicPartition(DLQ, i.partition()))
                .toList();
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        return consumer;
    }

    private static String task(String id, String tenant, String input) throws Exception {
        return JSON.writeValueAsString(Map.of(
                "specversion",
                "1.0",
                "id",
                id,
                "source",
                "urn:scenario:external-producer",
                "type",
                "dev.devloop.agent.task",
                "time",
                java.time.Instant.now().toString(),
                "tenant",
                tenant,
                "datacontenttype",
                "application/json",
                "data",
                Map.of("agentType", "triage", "input", input)));
    }
}
