package dev.devloop.knowledge.adapters.in.kafka;

import static dev.devloop.knowledge.domain.delivery.GithubPayloads.FEATURE;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.devloop.contracts.Headers;
import dev.devloop.contracts.Topics;
import dev.devloop.contracts.events.testing.TestEvents;
import dev.devloop.knowledge.domain.delivery.GithubPayloads;
import dev.devloop.knowledge.support.KafkaTestClient;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Real GitHub payloads (src/test/resources/github) sent as CloudEvents on the real {@code devloop.forge.events}
 * topic and applied to a feature in the real Neo4j; read back over REST.
 */
@QuarkusTest
class ForgeEventsTest {
    private static final String TOPIC = Topics.FORGE_EVENTS;
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PR_URL = "https://github.com/Codertocat/Hello-World/pull/2";
    private static final String SHA = "6113728f27ae82c7b1a177c8d03f9e96e0adf246";

    private String tenant;

    @BeforeEach
    void seed() {
        tenant = "forge-" + UUID.randomUUID();
        // m1 / build / shop / {checkout-flow (in progress; tasks pay 2 done, cart 3 planned), search (done), next}
        Map<String, Object> doc = Map.of(
                "milestones",
                List.of(Map.of(
                        "id",
                        "m1",
                        "name",
                        "Public beta",
                        "phases",
                        List.of(Map.of(
                                "id",
                                "build",
                                "name",
                                "Build",
                                "modules",
                                List.of(Map.of(
                                        "id",
                                        "shop",
                                        "name",
                                        "Shop",
                                        "features",
                                        List.of(
                                                Map.of(
                                                        "id",
                                                        FEATURE,
                                                        "name",
                                                        "Checkout flow",
                                                        "status",
                                                        "in_progress",
                                                        "metadata",
                                                        Map.of("changeType", "fixed"),
                                                        "tasks",
                                                        List.of(
                                                                Map.of(
                                                                        "id",
                                                                        "pay",
                                                                        "name",
                                                                        "Pay",
                                                                        "estimate",
                                                                        2,
                                                                        "status",
                                                                        "done"),
                                                                Map.of("id", "cart", "name", "Cart", "estimate", 3))),
                                                Map.of("id", "search", "name", "Search", "status", "done"),
                                                Map.of("id", "next", "name", "Next thing")))))))));
        given().header(Headers.TENANT, tenant)
                .contentType(ContentType.JSON)
                .body(doc)
                .post("/roadmap/import")
                .then()
                .statusCode(200);
    }

    private static String cloudEvent(String id, String event, String tenant, String payload) {
        return "{\"specversion\":\"1.0\",\"id\":\"" + id + "\",\"source\":\"/devloop/api-gateway/github\","
                + "\"type\":\"dev.devloop.forge.github." + event + "\",\"subject\":\"Codertocat/Hello-World\","
                + "\"time\":\"2026-12-04T10:00:00Z\",\"datacontenttype\":\"application/json\",\"tenant\":\"" + tenant
                + "\",\"data\":" + payload + "}";
    }

    private String send(String event, String fixture) {
        String id = UUID.randomUUID().toString();
        KafkaTestClient.send(TOPIC, tenant, cloudEvent(id, event, tenant, GithubPayloads.text(fixture)));
        return id;
    }

    private void send(String id, String event, Map<String, Object> payload) throws JsonProcessingException {
        KafkaTestClient.send(TOPIC, tenant, cloudEvent(id, event, tenant, JSON.writeValueAsString(payload)));
    }

    private JsonPath awaitNode(String id, Predicate<JsonPath> condition) throws InterruptedException {
        long end = System.nanoTime() + WAIT.toNanos();
        JsonPath last = null;
        while (System.nanoTime() < end) {
            Response r = given().header(Headers.TENANT, tenant).get("/roadmap/nodes/{id}", id);
            if (r.statusCode() == 200) {
                last = r.jsonPath();
                if (condition.test(last)) {
                    return last;
                }
            }
            Thread.sleep(200);
        }
        throw new AssertionError("node " + id + " never matched; last: " + (last == null ? null : last.prettify()));
    }

    private String markdown(String path, Object... params) {
        return given().header(Headers.TENANT, tenant)
                .get(path, params)
                .then()
                .statusCode(200)
                .contentType("text/markdown")
                .extract()
                .asString();
    }

    @Test
    void eachEventIsAppliedAndTheMergeClosesTheFeature() throws InterruptedException {
        given().header(Headers.TENANT, tenant)
                .get("/roadmap/nodes/m1/progress")
                .then()
                .statusCode(200)
                .body("progress", equalTo(0.4f));

        send("push", "push");
        JsonPath f = awaitNode(FEATURE, j -> j.getList("links.commits") != null);
        assertThat(f.getList("links.commits")).containsExactly(SHA);
        assertThat(f.getString("links.branch")).isEqualTo("feature/" + FEATURE);

        send("check_run", "check_run.completed.failure");
        f = awaitNode(FEATURE, j -> "failure".equals(j.getString("links.checks.conclusion")));
        assertThat(f.getString("metadata.delivery")).isEqualTo("build_failed");
        assertThat(f.getString("links.checks.url"))
                .isEqualTo("https://github.com/Codertocat/Hello-World/runs/128620228");

        send("workflow_run", "workflow_run.completed");
        f = awaitNode(FEATURE, j -> "ready_for_review".equals(j.getString("metadata.delivery")));
        assertThat(f.getString("links.checks.summary"))
                .isEqualTo("ci(action): update actions/setup-node digest to 8c91899");

        send("issues", "issues.opened");
        f = awaitNode(FEATURE, j -> j.get("metadata.issue") != null);
        assertThat(f.getInt("metadata.issue.number")).isEqualTo(1);
        assertThat(f.getList("metadata.issue.labels")).containsExactly("bug");

        send("pull_request", "pull_request.opened");
        f = awaitNode(FEATURE, j -> "in_review".equals(j.getString("status")));
        assertThat(f.getInt("links.pullRequest.number")).isEqualTo(2);
        assertThat(f.getString("links.pullRequest.state")).isEqualTo("open");

        send("pull_request", "pull_request.closed");
        f = awaitNode(FEATURE, j -> "closed".equals(j.getString("links.pullRequest.state")));
        assertThat(f.getString("status")).isEqualTo("in_progress");

        send("check_run", "check_run.completed.success");
        awaitNode(FEATURE, j -> "success".equals(j.getString("links.checks.conclusion")));

        send("pull_request", "pull_request.closed.merged");
        f = awaitNode(FEATURE, j -> "done".equals(j.getString("status")));
        assertThat(f.getString("links.pullRequest.state")).isEqualTo("merged");
        assertThat(f.getString("links.pullRequest.url")).isEqualTo(PR_URL);
        assertThat(f.getString("metadata.mergedAt")).isEqualTo("2019-05-15T15:21:18Z");
        assertThat(f.getString("metadata.changeType")).isEqualTo("fixed");
        given().header(Headers.TENANT, tenant)
                .get("/roadmap/nodes/cart")
                .then()
                .statusCode(200)
                .body("status", equalTo("done"));
        given().header(Headers.TENANT, tenant)
                .get("/roadmap/nodes/m1/progress")
                .then()
                .statusCode(200)
                .body("progress", equalTo(1.0f))
                .body("done", equalTo(2));

        List<ConsumerRecord<String, String>> events = KafkaTestClient.collect(
                Topics.ROADMAP_EVENTS,
                r -> r.value().contains("\"tenant\":\"" + tenant + "\""),
                list -> list.stream()
                        .anyMatch(r -> r.value().contains("progress.changed")
                                && r.value().contains("\"m1\"")),
                WAIT);
        assertThat(events)
                .anyMatch(r -> r.value().contains("dev.devloop.roadmap.status.changed")
                        && r.value().contains("\"subject\":\"" + FEATURE + "\"")
                        && r.value().contains("\"to\":\"done\""));
        assertThat(events)
                .anyMatch(r -> r.value().contains("dev.devloop.roadmap.status.changed")
                        && r.value().contains("\"subject\":\"cart\"")
                        && r.value().contains("\"to\":\"done\""));
        assertThat(events)
                .anyMatch(r -> r.value().contains("dev.devloop.roadmap.progress.changed")
                        && r.value().contains("\"subject\":\"m1\"")
                        && r.value().contains("\"progress\":1.0"));

        String fixed = "### Fixed\n\n- Checkout flow ([#2](" + PR_URL + "))\n";
        assertThat(markdown("/roadmap/milestones/{id}/release-notes", "m1"))
                .isEqualTo("## [Public beta] - 2019-05-15\n\n### Added\n\n- Search\n\n" + fixed);
        assertThat(markdown("/roadmap/features/{id}/changelog", FEATURE))
                .isEqualTo("## [Public beta] - 2019-05-15\n\n" + fixed);
    }

    @Test
    @SuppressWarnings("unchecked")
    void aDuplicateEventIdIsAppliedOnce() throws Exception {
        String id = UUID.randomUUID().toString();
        send(id, "push", GithubPayloads.map("push"));
        Map<String, Object> replay = GithubPayloads.map("push");
        ((Map<String, Object>) ((List<Object>) replay.get("commits")).get(0)).put("id", "aaaaaaaa");
        send(id, "push", replay);
        send("issues", "issues.opened");
        JsonPath f = awaitNode(FEATURE, j -> j.get("metadata.issue") != null);
        assertThat(f.getList("links.commits")).containsExactly(SHA);
        assertThat(f.getInt("version")).isEqualTo(3);
        assertThat(metric("push", "duplicate")).isGreaterThanOrEqualTo(1);
    }

    @Test
    @SuppressWarnings("unchecked")
    void anEventForNoKnownFeatureIsIgnored() throws Exception {
        double before = metric("pull_request", "ignored");
        Map<String, Object> payload = GithubPayloads.map("pull_request.opened");
        ((Map<String, Object>) ((Map<String, Object>) payload.get("pull_request")).get("head"))
                .put("ref", "feature/no-such-feature");
        send(UUID.randomUUID().toString(), "pull_request", payload);
        send("issues", "issues.opened");
        // the feature may carry metadata.issue from an earlier test already: wait for the pull request to be counted
        // as ignored (bounded) before reading the feature, so the checks below run after it was handled
        long deadline = System.nanoTime() + java.time.Duration.ofSeconds(30).toNanos();
        while (metric("pull_request", "ignored") < before + 1 && System.nanoTime() < deadline) {
            Thread.sleep(200);
        }
        assertThat(metric("pull_request", "ignored")).isGreaterThanOrEqualTo(before + 1);
        JsonPath f = awaitNode(FEATURE, j -> j.get("metadata.issue") != null);
        assertThat(f.getString("links.pullRequest")).isNull();
        assertThat(f.getString("status")).isEqualTo("in_progress");
        assertThat(metric("issues", "applied")).isGreaterThanOrEqualTo(1);
    }

    @Test
    @SuppressWarnings("unchecked")
    void malformedEventsGoToTheDeadLetterTopic() throws Exception {
        Map<String, Object> noNumber = GithubPayloads.map("pull_request.opened");
        ((Map<String, Object>) noNumber.get("pull_request")).remove("number");
        String id = UUID.randomUUID().toString();
        send(id, "pull_request", noNumber);
        String wrongType = UUID.randomUUID().toString();
        KafkaTestClient.send(
                TOPIC,
                tenant,
                cloudEvent(wrongType, "x", tenant, "{}").replace("dev.devloop.forge.github.x", "dev.devloop.other"));
        String noTenant = UUID.randomUUID().toString();
        KafkaTestClient.send(TOPIC, tenant, cloudEvent(noTenant, "push", "", GithubPayloads.text("push")));
        assertThat(KafkaTestClient.await(TOPIC + ".dlq", v -> v.contains(id), WAIT))
                .isTrue();
        assertThat(KafkaTestClient.await(TOPIC + ".dlq", v -> v.contains(wrongType), WAIT))
                .isTrue();
        assertThat(KafkaTestClient.await(TOPIC + ".dlq", v -> v.contains(noTenant), WAIT))
                .isTrue();
        assertThat(metric("pull_request", "rejected")).isGreaterThanOrEqualTo(1);
        given().header(Headers.TENANT, tenant)
                .get("/roadmap/nodes/{id}", FEATURE)
                .then()
                .statusCode(200)
                .body("status", equalTo("in_progress"))
                .body("version", equalTo(1));
    }

    @Test
    void onlyApiGatewayAndTheLocalForgeMayProduceForgeEvents() throws Exception {
        String fromAgents = UUID.randomUUID().toString();
        String agentsValue = cloudEvent(fromAgents, "issues", tenant, GithubPayloads.text("issues.opened"));
        KafkaTestClient.send(TOPIC, tenant, agentsValue, TestEvents.signedBy("agent-service", TOPIC, agentsValue));
        String unsigned = UUID.randomUUID().toString();
        KafkaTestClient.sendUnsigned(
                TOPIC, tenant, cloudEvent(unsigned, "issues", tenant, GithubPayloads.text("issues.opened")));
        assertThat(KafkaTestClient.await(TOPIC + ".dlq", v -> v.contains(fromAgents), WAIT))
                .isTrue();
        assertThat(KafkaTestClient.await(TOPIC + ".dlq", v -> v.contains(unsigned), WAIT))
                .isTrue();
        given().header(Headers.TENANT, tenant)
                .get("/roadmap/nodes/{id}", FEATURE)
                .then()
                .statusCode(200)
                .body("version", equalTo(1))
                .body("metadata.issue", org.hamcrest.Matchers.nullValue());

        // tool-service's local forge is the topic's other producer
        String local = cloudEvent(UUID.randomUUID().toString(), "issues", tenant, GithubPayloads.text("issues.opened"));
        KafkaTestClient.send(TOPIC, tenant, local, TestEvents.signedBy("tool-service", TOPIC, local));
        assertThat(awaitNode(FEATURE, j -> j.get("metadata.issue") != null).getString("status"))
                .isEqualTo("in_progress");
    }

    private static double metric(String event, String outcome) {
        String text = given().get("/q/metrics").then().statusCode(200).extract().asString();
        Matcher m = Pattern.compile("(?m)^devloop_forge_events_total\\{(?=[^}]*event=\"" + event
                        + "\")(?=[^}]*outcome=\"" + outcome + "\")[^}]*} ([0-9.eE+-]+)")
                .matcher(text);
        return m.find() ? Double.parseDouble(m.group(1)) : 0;
    }
}
