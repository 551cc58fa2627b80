package dev.devloop.knowledge.adapters.in.kafka;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;

import dev.devloop.contracts.Headers;
import dev.devloop.knowledge.support.KafkaTestClient;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import java.time.Duration;
import java.util.UUID;
import java.util.function.Predicate;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
class KafkaConsumersTest {
    private static final String FACTS = "devloop.knowledge.facts";
    private static final String LIFECYCLE = "devloop.agent.lifecycle";
    private static final Duration WAIT = Duration.ofSeconds(60);

    private String tenant;

    @BeforeEach
    void newTenant() {
        tenant = "t-" + UUID.randomUUID();
    }

    private static String event(String id, String type, String tenant, String data) {
        return "{\"specversion\":\"1.0\",\"id\":\"" + id + "\",\"source\":\"/test\",\"type\":\"" + type
                + "\",\"time\":\"2026-11-25T10:00:00Z\",\"datacontenttype\":\"application/json\",\"tenant\":\"" + tenant
                + "\",\"data\":" + data + "}";
    }

    private static String factEvent(String id, String tenant, String entity, String attribute, String value, Long ttl) {
        return event(
                id,
                "dev.devloop.knowledge.fact.write",
                tenant,
                "{\"entity\":\"" + entity + "\",\"attribute\":\"" + attribute + "\",\"value\":" + value
                        + (ttl == null ? "" : ",\"ttlSeconds\":" + ttl) + "}");
    }

    /** Polls until the request answers 200 and the condition holds. */
    private static JsonPath awaitOk(String tenant, String path, Predicate<JsonPath> condition, Object... params)
            throws InterruptedException {
        long end = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < end) {
            Response response = given().header(Headers.TENANT, tenant).get(path, params);
            if (response.statusCode() == 200 && condition.test(response.jsonPath())) {
                return response.jsonPath();
            }
            Thread.sleep(200);
        }
        throw new AssertionError("no matching answer from " + path + " within " + WAIT);
    }

    @Test
    void factWritesAreAppliedOncePerEventId() throws InterruptedException {
        String id = UUID.randomUUID().toString();
        KafkaTestClient.send(FACTS, "svc", factEvent(id, tenant, "svc", "mode", "\"first\"", 600L));
        KafkaTestClient.send(FACTS, "svc", factEvent(id, tenant, "svc", "mode", "\"replayed\"", 600L));
        KafkaTestClient.send(
                FACTS, "svc", factEvent(UUID.randomUUID().toString(), tenant, "svc", "marker", "{\"n\":1}", null));
        awaitOk(tenant, "/facts/{e}/{a}", j -> true, "svc", "marker");
        given().header(Headers.TENANT, tenant)
                .get("/facts/{e}/{a}", "svc", "mode")
                .then()
                .statusCode(200)
                .body("value", equalTo("first"))
                .body("tier", equalTo("medium"));
        given().header(Headers.TENANT, tenant)
                .get("/facts/{e}", "svc")
                .then()
                .statusCode(200)
                .body("attribute", contains("marker", "mode"));
    }

    @Test
    void poisonFactEventsGoToTheDeadLetterTopic() {
        String marker = UUID.randomUUID().toString();
        KafkaTestClient.send(FACTS, "x", "{not json " + marker);
        String badTtl = UUID.randomUUID().toString();
        KafkaTestClient.send(FACTS, "svc", factEvent(badTtl, tenant, "svc", "a", "1", -1L));
        String noTenant = UUID.randomUUID().toString();
        KafkaTestClient.send(FACTS, "svc", factEvent(noTenant, "", "svc", "a", "1", null));
        assertThat(KafkaTestClient.await(FACTS + ".dlq", v -> v.contains(marker), WAIT))
                .isTrue();
        assertThat(KafkaTestClient.await(FACTS + ".dlq", v -> v.contains(badTtl), WAIT))
                .isTrue();
        assertThat(KafkaTestClient.await(FACTS + ".dlq", v -> v.contains(noTenant), WAIT))
                .isTrue();
        given().header(Headers.TENANT, tenant)
                .get("/facts/{e}/{a}", "svc", "a")
                .then()
                .statusCode(404);
    }

    @Test
    void theAgentLifecycleIsMirroredIntoATree() throws InterruptedException {
        String root = "root-" + UUID.randomUUID();
        String child = "child-" + UUID.randomUUID();
        String micro = "micro-" + UUID.randomUUID();
        String other = "other-" + UUID.randomUUID();
        String spawned = "dev.devloop.agent.spawned";
        KafkaTestClient.send(
                LIFECYCLE,
                child,
                event(
                        UUID.randomUUID().toString(),
                        spawned,
                        tenant,
                        "{\"agentId\":\"" + child
                                + "\",\"agentType\":\"diagnostic\",\"level\":\"child\",\"parentId\":\"" + root
                                + "\",\"status\":\"ACTIVE\",\"createdAt\":\"2026-11-25T10:00:01Z\"}"));
        String rootSpawn = UUID.randomUUID().toString();
        String rootEvent = event(
                rootSpawn,
                spawned,
                tenant,
                "{\"agentId\":\"" + root
                        + "\",\"agentType\":\"system_health\",\"level\":\"parent\",\"parentId\":null,\"status\":\"ACTIVE\","
                        + "\"createdAt\":\"2026-11-25T10:00:00Z\"}");
        KafkaTestClient.send(LIFECYCLE, root, rootEvent);
        KafkaTestClient.send(
                LIFECYCLE,
                micro,
                event(
                        UUID.randomUUID().toString(),
                        spawned,
                        tenant,
                        "{\"agentId\":\"" + micro + "\",\"agentType\":\"repair\",\"level\":\"micro\",\"parentId\":\""
                                + child + "\",\"status\":\"ACTIVE\",\"createdAt\":\"2026-11-25T10:00:02Z\"}"));
        KafkaTestClient.send(
                LIFECYCLE,
                child,
                event(
                        UUID.randomUUID().toString(),
                        "dev.devloop.agent.handoff",
                        tenant,
                        "{\"handoffId\":\"h-1\",\"fromAgentId\":\"" + child + "\",\"toAgentId\":\"" + other
                                + "\",\"toAgentType\":\"planner\",\"task\":\"plan the fix\"}"));
        KafkaTestClient.send(
                LIFECYCLE,
                micro,
                event(
                        UUID.randomUUID().toString(),
                        "dev.devloop.agent.status",
                        tenant,
                        "{\"agentId\":\"" + micro + "\",\"status\":\"BUSY\"}"));
        KafkaTestClient.send(
                LIFECYCLE,
                micro,
                event(
                        UUID.randomUUID().toString(),
                        "dev.devloop.agent.retired",
                        tenant,
                        "{\"agentId\":\"" + micro + "\",\"retiredAt\":\"2026-11-25T10:05:00Z\"}"));
        KafkaTestClient.send(
                LIFECYCLE,
                micro,
                event(
                        UUID.randomUUID().toString(),
                        "dev.devloop.agent.status",
                        tenant,
                        "{\"agentId\":\"" + micro + "\",\"status\":\"ACTIVE\"}"));
        // a replay of the root's spawn changes nothing
        KafkaTestClient.send(LIFECYCLE, root, rootEvent);

        JsonPath tree = awaitOk(
                tenant,
                "/agents/{id}/tree",
                j -> "RETIRED".equals(j.getString("children[0].children[0].status"))
                        && "system_health".equals(j.getString("type"))
                        && j.getList("children[0].handoffs").size() == 1,
                root);
        assertThat(tree.getString("id")).isEqualTo(root);
        assertThat(tree.getString("level")).isEqualTo("parent");
        assertThat(tree.getList("children")).hasSize(1);
        assertThat(tree.getString("children[0].id")).isEqualTo(child);
        assertThat(tree.getString("children[0].parentId")).isEqualTo(root);
        assertThat(tree.getString("children[0].handoffs[0].toAgentId")).isEqualTo(other);
        assertThat(tree.getString("children[0].handoffs[0].toAgentType")).isEqualTo("planner");
        assertThat(tree.getString("children[0].children[0].id")).isEqualTo(micro);
        assertThat(tree.getString("children[0].children[0].retiredAt")).isEqualTo("2026-11-25T10:05:00Z");

        given().header(Headers.TENANT, "t-" + UUID.randomUUID())
                .get("/agents/{id}/tree", root)
                .then()
                .statusCode(404)
                .contentType("application/problem+json");
        given().get("/agents/{id}/tree", root).then().statusCode(400).body("field", equalTo(Headers.TENANT));
        given().header(Headers.TENANT, tenant)
                .get("/agents/{id}/tree", child)
                .then()
                .statusCode(200)
                .body("id", equalTo(child))
                .body("children[0].id", equalTo(micro));
    }

    @Test
    void poisonLifecycleEventsGoToTheDeadLetterTopic() {
        String id = UUID.randomUUID().toString();
        KafkaTestClient.send(LIFECYCLE, "a", event(id, "dev.devloop.agent.spawned", tenant, "{\"agentType\":\"x\"}"));
        assertThat(KafkaTestClient.await(LIFECYCLE + ".dlq", v -> v.contains(id), WAIT))
                .isTrue();
    }
}
