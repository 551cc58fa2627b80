package dev.devloop.tools.adapters.in.rest;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.devloop.contracts.Topics;
import dev.devloop.tools.support.RestInvocations;
import io.quarkus.test.junit.QuarkusTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.transport.RefSpec;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The local forge through the tools of the running service, over real JGit repositories, MongoDB and Kafka: the
 * repository {@code forgefix} (%test profile) is seeded from deploy/demo-repo, its check command is
 * {@code sh check.sh}. Every forge change is read back from {@code devloop.forge.events}.
 */
@QuarkusTest
class ForgeToolsRestTest {
    private static final Path SEEDS = Path.of("target/forge-seeds");
    private static final Path DEMO = Path.of("../deploy/demo-repo");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String BROKEN_ADD = "  add) echo $((a - b)) ;;";
    private static final String ADD = "  add) echo $((a + b)) ;;";

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @BeforeAll
    static void seed() throws Exception {
        if (Files.exists(SEEDS)) {
            try (var paths = Files.walk(SEEDS)) {
                paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        Path bare = SEEDS.resolve("forgefix.git");
        Path work = SEEDS.resolve("work");
        Git.init()
                .setBare(true)
                .setInitialBranch("main")
                .setDirectory(bare.toFile())
                .call()
                .close();
        try (Git git =
                Git.init().setInitialBranch("main").setDirectory(work.toFile()).call()) {
            for (String file : List.of("calc.sh", "check.sh", "README.md")) {
                Files.copy(DEMO.resolve(file), work.resolve(file));
            }
            git.add().addFilepattern(".").call();
            PersonIdent seed = new PersonIdent("seed", "seed@devloop.test");
            git.commit()
                    .setMessage("demo")
                    .setAuthor(seed)
                    .setCommitter(seed)
                    .setSign(false)
                    .call();
            git.push()
                    .setRemote(bare.toUri().toString())
                    .setRefSpecs(new RefSpec("refs/heads/main:refs/heads/main"))
                    .call();
        }
    }

    private static JsonNode invoke(String tenant, String tool, String arguments) {
        String body = RestInvocations.invoke(
                        tenant,
                        tool,
                        "{\"arguments\":" + arguments
                                + ",\"agentType\":\"repository\",\"agentId\":\"agent-forge\",\"runId\":\"run-"
                                + tenant + "\"}")
                .then()
                .log()
                .ifValidationFails()
                .statusCode(200)
                .extract()
                .asString();
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static JsonNode ok(String tenant, String tool, String arguments) {
        JsonNode result = invoke(tenant, tool, arguments);
        assertThat(result.path("status").asText())
                .as(tool + ": " + result.path("error").asText())
                .isEqualTo("SUCCEEDED");
        return result.path("output");
    }

    private static String failed(String tenant, String tool, String arguments) {
        JsonNode result = invoke(tenant, tool, arguments);
        assertThat(result.path("status").asText()).as(tool + " " + result).isEqualTo("FAILED");
        return result.path("error").asText();
    }

    private static String feature(String id) {
        return "{\"repository\":\"forgefix\",\"featureId\":\"" + id + "\"";
    }

    /** Clones, branches feature/<id>, rewrites one line of calc.sh, commits and pushes; answers git_push's output. */
    private static JsonNode change(String tenant, String id, String from, String to, String message) {
        ok(tenant, "git_clone", feature(id) + "}");
        ok(tenant, "git_branch", feature(id) + "}");
        String calc = ok(tenant, "git_read_file", feature(id) + ",\"path\":\"calc.sh\"}")
                .path("content")
                .asText();
        assertThat(calc).contains(from);
        ok(
                tenant,
                "git_write_file",
                feature(id) + ",\"path\":\"calc.sh\",\"content\":" + JSON.valueToTree(calc.replace(from, to)) + "}");
        ok(tenant, "git_commit", feature(id) + ",\"message\":\"" + message + "\"}");
        return ok(tenant, "git_push", feature(id) + "}");
    }

    private static JsonNode openPr(String tenant, String id) {
        return ok(
                tenant,
                "forge_open_pr",
                feature(id) + ",\"title\":\"Change " + id + "\",\"summary\":\"Changes add.\","
                        + "\"changes\":[\"calc.sh: add\"],\"testPlan\":\"sh check.sh\"}");
    }

    private static JsonNode checks(String tenant, String id) {
        return ok(tenant, "forge_checks", feature(id) + ",\"waitSeconds\":50}");
    }

    @Test
    void aFailingCheckAFixAPassingCheckAndAMergeAreEventsKnowledgeServiceCanApply() {
        String tenant = "t-" + UUID.randomUUID();
        JsonNode pushed = change(tenant, "calc-add", ADD, BROKEN_ADD, "Rework add");
        String firstHead = pushed.path("head").asText();

        JsonNode pr = openPr(tenant, "calc-add");
        assertThat(pr.path("number").asInt()).isEqualTo(1);
        assertThat(pr.path("head").asText()).isEqualTo("feature/calc-add");
        assertThat(pr.path("headSha").asText()).isEqualTo(firstHead);
        assertThat(pr.path("body").asText()).endsWith("\n\nDevloop-Feature: calc-add\n");
        assertThat(pr.path("checks").asText()).contains("devloop/check runs on " + firstHead);

        JsonNode failing = checks(tenant, "calc-add");
        assertThat(failing.path("state").asText()).isEqualTo("failure");
        JsonNode check = failing.path("checks").get(0);
        assertThat(check.path("name").asText()).isEqualTo("devloop/check");
        assertThat(check.path("headSha").asText()).isEqualTo(firstHead);
        assertThat(check.path("summary").asText()).contains("`sh check.sh` failed with exit code 1");
        JsonNode log = ok(
                tenant,
                "forge_check_log",
                "{\"repository\":\"forgefix\",\"checkId\":\"" + check.path("id").asText() + "\"}");
        assertThat(log.path("text").asText()).contains("FAIL calc add 2 3: expected 5, got -1", "cases failed");

        JsonNode fixed = change(tenant, "calc-add", BROKEN_ADD, ADD + " # fixed", "Fix add");
        String secondHead = fixed.path("head").asText();
        assertThat(fixed.path("forge").asText()).startsWith("pull request #1 now has head " + secondHead);
        JsonNode passing = checks(tenant, "calc-add");
        assertThat(passing.path("state").asText()).isEqualTo("success");
        assertThat(passing.path("checks").get(0).path("headSha").asText()).isEqualTo(secondHead);

        ok(tenant, "forge_review_pr", "{\"repository\":\"forgefix\",\"number\":1,\"event\":\"APPROVE\"}");
        assertThat(ok(tenant, "forge_get_pr", feature("calc-add") + "}")
                        .path("reviews")
                        .get(0)
                        .path("state")
                        .asText())
                .isEqualTo("APPROVED");
        JsonNode merged = ok(
                tenant,
                "forge_merge_pr",
                "{\"repository\":\"forgefix\",\"number\":1,\"expectedHeadSha\":\"" + secondHead + "\"}");
        assertThat(merged.path("merged").asBoolean()).isTrue();
        assertThat(ok(tenant, "forge_get_pr", "{\"repository\":\"forgefix\",\"number\":1}")
                        .path("state")
                        .asText())
                .isEqualTo("merged");
        assertThat(failed(tenant, "forge_get_pr", feature("calc-add") + "}"))
                .isEqualTo("no open pull request for feature/calc-add in forgefix");
        // main now holds the fix: a new feature branch starts from the merge
        ok(tenant, "git_clone", feature("next") + "}");
        ok(tenant, "git_branch", feature("next") + "}");
        assertThat(ok(tenant, "git_read_file", feature("next") + ",\"path\":\"calc.sh\"}")
                        .path("content")
                        .asText())
                .contains("# fixed");

        List<JsonNode> events = events(
                tenant,
                e -> type(e).equals("pull_request")
                        && e.path("data").path("action").asText().equals("closed"));
        for (JsonNode e : events) {
            assertThat(e.path("source").asText()).isEqualTo("/devloop/tool-service/local-forge");
            assertThat(e.path("tenant").asText()).isEqualTo(tenant);
            assertThat(e.path("subject").asText()).isEqualTo(tenant + "/forgefix");
        }
        JsonNode opened = only(events, "pull_request", "opened").path("data").path("pull_request");
        assertThat(opened.path("number").asInt()).isEqualTo(1);
        assertThat(opened.path("head").path("ref").asText()).isEqualTo("feature/calc-add");
        assertThat(opened.path("html_url").asText()).isEqualTo("devloop-forge://local/" + tenant + "/forgefix/pull/1");
        assertThat(opened.path("body").asText()).contains("Devloop-Feature: calc-add");
        List<JsonNode> pushes = events.stream()
                .filter(e -> type(e).equals("push")
                        && e.path("data").path("ref").asText().equals("refs/heads/feature/calc-add"))
                .toList();
        assertThat(pushes).hasSize(2);
        assertThat(pushes.get(0).path("data").path("commits").get(0).path("id").asText())
                .isEqualTo(firstHead);
        assertThat(pushes.get(1).path("data").path("before").asText()).isEqualTo(firstHead);
        assertThat(pushes.get(1).path("data").path("commits").get(0).path("id").asText())
                .isEqualTo(secondHead);
        JsonNode sync = only(events, "pull_request", "synchronize").path("data");
        assertThat(sync.path("after").asText()).isEqualTo(secondHead);
        List<JsonNode> runs = events.stream()
                .filter(e -> type(e).equals("check_run"))
                .map(e -> e.path("data"))
                .toList();
        assertThat(runs).hasSize(2).allSatisfy(r -> {
            assertThat(r.path("action").asText()).isEqualTo("completed");
            assertThat(r.path("check_run")
                            .path("check_suite")
                            .path("head_branch")
                            .asText())
                    .isEqualTo("feature/calc-add");
            assertThat(r.path("check_run").path("status").asText()).isEqualTo("completed");
        });
        assertThat(runs.get(0).path("check_run").path("conclusion").asText()).isEqualTo("failure");
        assertThat(runs.get(0).path("check_run").path("head_sha").asText()).isEqualTo(firstHead);
        assertThat(runs.get(0).path("check_run").path("output").path("summary").asText())
                .contains("exit code 1");
        assertThat(runs.get(1).path("check_run").path("conclusion").asText()).isEqualTo("success");
        assertThat(runs.get(1).path("check_run").path("head_sha").asText()).isEqualTo(secondHead);
        JsonNode closed = only(events, "pull_request", "closed").path("data").path("pull_request");
        assertThat(closed.path("merged").asBoolean()).isTrue();
        assertThat(closed.path("state").asText()).isEqualTo("closed");
        assertThat(closed.path("merge_commit_sha").asText())
                .isEqualTo(merged.path("sha").asText());
        assertThat(only(events, "pull_request_review", "submitted")
                        .path("data")
                        .path("review")
                        .path("state")
                        .asText())
                .isEqualTo("approved");
        assertThat(events.stream()
                        .filter(e -> type(e).equals("push")
                                && e.path("data").path("ref").asText().equals("refs/heads/main")))
                .hasSize(1);
        given().when()
                .get("/q/metrics")
                .then()
                .statusCode(200)
                .body(org.hamcrest.Matchers.containsString(
                        "devloop_tools_forge_calls_total{outcome=\"succeeded\",tool=\"forge_merge_pr\"}"))
                .body(org.hamcrest.Matchers.containsString(
                        "devloop_tools_forge_check_duration_seconds_count{conclusion=\"failure\"}"));
    }

    @Test
    void aConflictingMergeAndAMovedHeadAre409() {
        String tenant = "t-" + UUID.randomUUID();
        change(tenant, "sub-a", "  sub) echo $((a - b)) ;;", "  sub) echo $((a-b)) ;;", "Tighten sub");
        JsonNode second =
                change(tenant, "sub-b", "  sub) echo $((a - b)) ;;", "  sub) echo $(( a - b )) ;;", "Widen sub");
        int a = openPr(tenant, "sub-a").path("number").asInt();
        int b = openPr(tenant, "sub-b").path("number").asInt();
        assertThat(b).isEqualTo(a + 1);

        assertThat(failed(
                        tenant,
                        "forge_merge_pr",
                        "{\"repository\":\"forgefix\",\"number\":" + b + ",\"expectedHeadSha\":\"" + "0".repeat(40)
                                + "\"}"))
                .isEqualTo("the forge refused the call (409): the head of pull request #" + b + " moved: expected "
                        + "0".repeat(40) + ", it is " + second.path("head").asText());
        assertThat(ok(
                                tenant,
                                "forge_merge_pr",
                                "{\"repository\":\"forgefix\",\"number\":" + a + ",\"method\":\"squash\"}")
                        .path("merged")
                        .asBoolean())
                .isTrue();
        assertThat(failed(tenant, "forge_merge_pr", "{\"repository\":\"forgefix\",\"number\":" + b + "}"))
                .startsWith("the forge refused the call (409): merge conflict in [calc.sh]");
        assertThat(failed(tenant, "forge_merge_pr", "{\"repository\":\"forgefix\",\"number\":" + a + "}"))
                .isEqualTo("the forge refused the call (409): pull request #" + a + " is merged, not open");
        assertThat(failed(
                        tenant,
                        "forge_open_pr",
                        feature("sub-b") + ",\"title\":\"again\",\"summary\":\"s\","
                                + "\"changes\":[\"c\"],\"testPlan\":\"p\"}"))
                .isEqualTo("the forge refused the call (422): a pull request for feature/sub-b is already open (#" + b
                        + ")");
    }

    @Test
    void aRebaseMergeReplaysTheCommitsWithTheirAuthorsAndAMergeCommitHasBothParents() throws Exception {
        String tenant = "t-" + UUID.randomUUID();
        change(tenant, "max", "  max) if", "  max) # the larger\n  if", "Document max");
        JsonNode second = change(tenant, "max", "# the larger", "# the larger of A and B", "Sharpen the comment");
        int rebased = openPr(tenant, "max").path("number").asInt();
        String tip = ok(
                        tenant,
                        "forge_merge_pr",
                        "{\"repository\":\"forgefix\",\"number\":" + rebased + ",\"method\":\"rebase\"}")
                .path("sha")
                .asText();
        change(tenant, "mul2", "  mul) echo $((a * b)) ;;", "  mul) echo $((b * a)) ;;", "Swap mul");
        int merged = openPr(tenant, "mul2").path("number").asInt();
        String merge = ok(tenant, "forge_merge_pr", "{\"repository\":\"forgefix\",\"number\":" + merged + "}")
                .path("sha")
                .asText();

        try (org.eclipse.jgit.lib.Repository repo = new org.eclipse.jgit.storage.file.FileRepositoryBuilder()
                        .setGitDir(Path.of("target/test-forge", tenant, "forgefix.git")
                                .toFile())
                        .setMustExist(true)
                        .build();
                org.eclipse.jgit.revwalk.RevWalk walk = new org.eclipse.jgit.revwalk.RevWalk(repo)) {
            org.eclipse.jgit.revwalk.RevCommit head = walk.parseCommit(repo.resolve("refs/heads/main"));
            assertThat(head.getName()).isEqualTo(merge);
            assertThat(head.getParentCount()).isEqualTo(2);
            assertThat(head.getParent(0).getName()).isEqualTo(tip);
            org.eclipse.jgit.revwalk.RevCommit replayed = walk.parseCommit(repo.resolve(tip));
            assertThat(replayed.getParentCount()).isEqualTo(1);
            assertThat(replayed.getFullMessage()).isEqualTo("Sharpen the comment");
            assertThat(replayed.getAuthorIdent().getName()).isEqualTo("devloop-agent/repository");
            assertThat(replayed.getCommitterIdent().getName()).isEqualTo("Devloop local forge");
            assertThat(replayed.getName()).isNotEqualTo(second.path("head").asText());
            assertThat(walk.parseCommit(replayed.getParent(0)).getFullMessage()).isEqualTo("Document max");
        }
    }

    @Test
    void tenantsNeverSeeEachOthersPullRequestsBranchesOrChecks() {
        String a = "t-" + UUID.randomUUID();
        String b = "t-" + UUID.randomUUID();
        change(a, "mul", "  mul) echo $((a * b)) ;;", "  mul) echo $((a * b)) ;; # times", "Comment mul");
        openPr(a, "mul");

        assertThat(failed(b, "forge_get_pr", "{\"repository\":\"forgefix\",\"number\":1}"))
                .isEqualTo("the forge refused the call (404): no pull request #1 in repository forgefix");
        assertThat(failed(b, "forge_get_pr", feature("mul") + "}"))
                .isEqualTo("no open pull request for feature/mul in forgefix");
        assertThat(failed(b, "forge_checks", feature("mul") + "}"))
                .isEqualTo("the forge refused the call (404): no branch feature/mul in repository forgefix");
        assertThat(failed(b, "forge_check_log", "{\"repository\":\"forgefix\",\"checkId\":\"1\"}"))
                .isEqualTo("the forge refused the call (404): no check 1 in repository forgefix");
        ok(b, "git_clone", feature("mul") + "}");
        JsonNode branch = ok(b, "git_branch", feature("mul") + "}");
        assertThat(branch.path("created").asBoolean()).isTrue();
        assertThat(ok(b, "git_read_file", feature("mul") + ",\"path\":\"calc.sh\"}")
                        .path("content")
                        .asText())
                .doesNotContain("# times");
        assertThat(failed(
                        b,
                        "forge_open_pr",
                        feature("mul") + ",\"title\":\"t\",\"summary\":\"s\",\"changes\":[\"c\"],"
                                + "\"testPlan\":\"p\"}"))
                .isEqualTo("the forge refused the call (422): the head branch feature/mul does not "
                        + "exist on the forge; push it first");
    }

    @Test
    void issuesAreNumberedWithPullRequestsAndPublished() {
        String tenant = "t-" + UUID.randomUUID();
        JsonNode issue = ok(
                tenant,
                "forge_create_issue",
                "{\"repository\":\"forgefix\",\"title\":\"add is wrong\","
                        + "\"body\":\"add subtracts\",\"labels\":[\"bug\"],\"featureId\":\"calc-add\"}");
        assertThat(issue.path("number").asInt()).isEqualTo(1);
        assertThat(ok(
                                tenant,
                                "forge_label_issue",
                                "{\"repository\":\"forgefix\",\"number\":1,\"labels\":[\"bug\",\"ci\"]}")
                        .path("labels")
                        .toString())
                .isEqualTo("[\"bug\",\"ci\"]");
        assertThat(ok(tenant, "forge_close_issue", "{\"repository\":\"forgefix\",\"number\":1}")
                        .path("state")
                        .asText())
                .isEqualTo("closed");
        assertThat(failed(tenant, "forge_close_issue", "{\"repository\":\"forgefix\",\"number\":2}"))
                .isEqualTo("the forge refused the call (404): no issue #2 in repository forgefix");

        List<JsonNode> events =
                events(tenant, e -> e.path("data").path("action").asText().equals("closed"));
        assertThat(events)
                .extracting(e -> e.path("data").path("action").asText())
                .containsExactly("opened", "labeled", "closed");
        assertThat(events).allSatisfy(e -> assertThat(type(e)).isEqualTo("issues"));
        JsonNode labeled = events.get(1).path("data");
        assertThat(labeled.path("label").path("name").asText()).isEqualTo("ci");
        JsonNode closed = events.get(2).path("data").path("issue");
        assertThat(closed.path("body").asText()).isEqualTo("add subtracts\n\nDevloop-Feature: calc-add\n");
        assertThat(closed.path("state").asText()).isEqualTo("closed");
        assertThat(closed.path("html_url").asText())
                .isEqualTo("devloop-forge://local/" + tenant + "/forgefix/issues/1");
        assertThat(closed.path("labels").toString()).isEqualTo("[{\"name\":\"bug\"},{\"name\":\"ci\"}]");
    }

    private static String type(JsonNode event) {
        return event.path("type").asText().replace("dev.devloop.forge.github.", "");
    }

    private static JsonNode only(List<JsonNode> events, String type, String action) {
        List<JsonNode> matching = events.stream()
                .filter(e -> type(e).equals(type)
                        && e.path("data").path("action").asText().equals(action))
                .toList();
        assertThat(matching).as(type + " " + action).hasSize(1);
        return matching.get(0);
    }

    /** The tenant's forge events, in order, up to the first one matching {@code last}. */
    private List<JsonNode> events(String tenant, Predicate<JsonNode> last) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "tool-service-forge-test-" + UUID.randomUUID());
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        List<JsonNode> mine = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props)) {
            consumer.subscribe(List.of(Topics.FORGE_EVENTS));
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (System.nanoTime() < deadline && (mine.isEmpty() || !last.test(mine.get(mine.size() - 1)))) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(500))) {
                    if (tenant.equals(r.key())) {
                        try {
                            mine.add((ObjectNode) JSON.readTree(r.value()));
                        } catch (IOException e) {
                            throw new IllegalStateException(e);
                        }
                    }
                }
            }
        }
        assertThat(mine).as("forge events of " + tenant).isNotEmpty();
        assertThat(last.test(mine.get(mine.size() - 1)))
                .as("the last expected event arrived")
                .isTrue();
        return mine;
    }
}
