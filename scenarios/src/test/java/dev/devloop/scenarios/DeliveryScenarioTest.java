package dev.devloop.scenarios;

import static dev.devloop.scenarios.ScriptedModel.call;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.devloop.scenarios.ScriptedModel.Turn;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The delivery loop through the whole stack, on the local forge with a scripted model (docs/delivery.md): a ready
 * feature is handed by the planner to the delivery parent, whose repository agent branches, writes, is refused a
 * commit holding an AWS key, commits without it, pushes and opens the pull request; the operator's check command
 * fails on it, the CI/CD agent reads the log and records the failure on the feature; a fix commit passes the
 * check; the PR manager approves and merges; the forge's events move the feature to done, the roll-up to 100 % and
 * the changelog lists it. Every step is in the runs and on Kafka. (GitHub's own webhooks marking a feature done
 * are {@link RoadmapScenarioTest}'s last step.)
 */
@ExtendWith(SharedStack.Join.class)
class DeliveryScenarioTest {
    private static final String FEATURE = "calc-div";
    private static final String ROADMAP = """
      milestones:
        - id: v2
          name: Calculator 2.0
          phases:
            - id: v2-build
              name: Build
              modules:
                - id: ops
                  name: Operations
                  features:
                    - id: calc-div
                      name: Integer division
                      description: calc.sh learns 'div A B' (integer division), with a check case.
                      tasks:
                        - {id: calc-div-impl, name: Implement div, estimate: 2}
      """;
    /** The fake key is built at run time so that no scanner flags this source file. */
    private static final String FAKE_AWS_KEY = "AKIA" + "Q3EGRH7XK2PLM4NB";

    private static final String CALC_BROKEN = calc("$((a * b))");
    private static final String CALC_FIXED = calc("$((a / b))");
    private static final String CHECK = check();

    private static OpenAiStub openAi;
    private static TestTokens tokens;
    private static DevloopStack stack;
    private static StackClient client;

    @BeforeAll
    static void joinTheSharedStack(SharedStack shared) {
        openAi = shared.openAi;
        tokens = shared.tokens;
        stack = shared.stack;
        client = new StackClient(stack);
        script(new ScriptedModel(openAi.server()));
    }

    /**
     * This class's settings of the shared stack ({@link SharedStack}): the operator's configuration of the local
     * forge's repository "demo", as deploy/devloop up writes it, seeded under {@code work}. Only the git and forge
     * tools read it.
     */
    static Map<String, String> settings(Path root, Path work) throws Exception {
        Files.createDirectories(work);
        Path seed = work.resolve("forge-seed/demo.git");
        Process seeding = new ProcessBuilder(
                        "bash",
                        "-c",
                        "source \"$1\" && demo_repo_seed \"$2\"",
                        "seed",
                        root.resolve("deploy/lib/demo-repo.sh").toString(),
                        seed.toString())
                .redirectErrorStream(true)
                .start();
        String seedLog = new String(seeding.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(seeding.waitFor()).as("deploy/lib/demo-repo.sh: " + seedLog).isZero();
        Path forgeConfig = work.resolve("forge.properties");
        Files.writeString(
                forgeConfig,
                String.join(
                        "\n",
                        "devloop.tools.git.remotes.demo.url=" + seed,
                        "devloop.tools.git.remotes.demo.default-branch=main",
                        "devloop.tools.forge.repositories.demo.kind=local",
                        "devloop.tools.forge.repositories.demo.check-command=./check.sh",
                        "devloop.tools.forge.local.root=" + work.resolve("forge"),
                        ""));
        return Map.of("QUARKUS_CONFIG_LOCATIONS", forgeConfig.toUri().toString());
    }

    /** Each agent's conversation, turn by turn, told apart by the marker of its task. */
    private static void script(ScriptedModel model) {
        Map<String, Object> repo = Map.of("repository", "demo", "featureId", FEATURE);
        model.conversation(
                "[plan-dlv]",
                null,
                List.of(
                        Turn.calls(call(
                                "handoff",
                                Map.of(
                                        "toAgentType",
                                        "delivery",
                                        "task",
                                        "[dlv] Deliver feature " + FEATURE + " in repository demo"))),
                        Turn.text("Handed calc-div to delivery; it is merged.")));
        model.conversation(
                "[dlv]",
                "[plan-dlv]",
                List.of(
                        Turn.calls(call("roadmap_read", Map.of("view", "node", "id", FEATURE))),
                        Turn.calls(call(
                                "roadmap_mark_progress",
                                Map.of("id", FEATURE, "status", "in_progress", "note", "delivery started"))),
                        Turn.calls(spawn(
                                "repository",
                                "[repo-1] In repository demo, implement feature " + FEATURE
                                        + ": add 'div' to calc.sh and a check case; open the pull request.")),
                        Turn.calls(spawn(
                                "cicd", "[ci-1] Watch the checks of feature " + FEATURE + " in repository demo.")),
                        Turn.calls(spawn(
                                "repository",
                                "[repo-2] The build of feature " + FEATURE
                                        + " failed: div multiplies. Fix calc.sh on the branch and push.")),
                        Turn.calls(spawn("cicd", "[ci-2] Watch the checks of feature " + FEATURE + " again.")),
                        Turn.calls(spawn(
                                "pr_manager",
                                "[pr-1] Checks passed: review and merge pull request 1 of feature " + FEATURE
                                        + " in repository demo.")),
                        Turn.text("Feature calc-div delivered: PR 1 merged after one failed build.")));
        model.conversation(
                "[repo-1]",
                "[dlv]",
                List.of(
                        Turn.calls(call("git_clone", repo)),
                        Turn.calls(call("git_branch", repo)),
                        Turn.calls(call(
                                "git_write_file",
                                with(
                                        repo,
                                        "path",
                                        "calc.sh",
                                        "content",
                                        CALC_BROKEN + "# deploy with AWS_ACCESS_KEY_ID=" + FAKE_AWS_KEY + "\n"))),
                        Turn.calls(call("git_commit", with(repo, "message", "calc: integer division"))),
                        // the secret scan refused the commit: write the file again without the key
                        Turn.calls(
                                call("git_write_file", with(repo, "path", "calc.sh", "content", CALC_BROKEN)),
                                call("git_write_file", with(repo, "path", "check.sh", "content", CHECK))),
                        Turn.calls(call("git_commit", with(repo, "message", "calc: integer division"))),
                        Turn.calls(call("git_push", repo)),
                        Turn.calls(call(
                                "forge_open_pr",
                                Map.of(
                                        "repository",
                                        "demo",
                                        "featureId",
                                        FEATURE,
                                        "title",
                                        "calc: integer division",
                                        "summary",
                                        "calc.sh learns div.",
                                        "changes",
                                        List.of("calc.sh: div A B", "check.sh: a div case"),
                                        "testPlan",
                                        "./check.sh"))),
                        Turn.text("Pull request 1 opened for calc-div.")));
        model.conversation(
                "[ci-1]",
                "[dlv]",
                List.of(
                        Turn.calls(call("forge_checks", with(repo, "waitSeconds", 90))),
                        Turn.calls(call("forge_check_log", repo)),
                        Turn.calls(
                                call(
                                        "roadmap_update_node",
                                        Map.of(
                                                "id",
                                                FEATURE,
                                                "metadata",
                                                Map.of(
                                                        "delivery",
                                                        "build_failed",
                                                        "ciAnalysis",
                                                        "check.sh: 'calc div 7 2' expected 3 but got 14: div multiplies instead of dividing")))),
                        Turn.text("build_failed: div multiplies instead of dividing.")));
        model.conversation(
                "[repo-2]",
                "[dlv]",
                List.of(
                        Turn.calls(call("git_clone", repo)),
                        Turn.calls(call("git_branch", repo)),
                        Turn.calls(call("git_write_file", with(repo, "path", "calc.sh", "content", CALC_FIXED))),
                        Turn.calls(call("git_commit", with(repo, "message", "calc: div divides"))),
                        Turn.calls(call("git_push", repo)),
                        Turn.text("Fix pushed.")));
        model.conversation(
                "[ci-2]",
                "[dlv]",
                List.of(
                        Turn.calls(call("forge_checks", with(repo, "waitSeconds", 90))),
                        Turn.calls(call(
                                "roadmap_update_node",
                                Map.of("id", FEATURE, "metadata", Map.of("delivery", "ready_for_review")))),
                        Turn.text("ready_for_review: every check passed.")));
        model.conversation(
                "[pr-1]",
                "[dlv]",
                List.of(
                        Turn.calls(call("forge_get_pr", repo)),
                        Turn.calls(call(
                                "forge_review_pr",
                                Map.of(
                                        "repository",
                                        "demo",
                                        "number",
                                        1,
                                        "event",
                                        "APPROVE",
                                        "body",
                                        "Checks pass; the change is what the feature asks."))),
                        Turn.calls(
                                call("forge_merge_pr", Map.of("repository", "demo", "number", 1, "method", "squash"))),
                        Turn.text("Merged pull request 1.")));
    }

    @Test
    void aReadyFeatureIsDeliveredThroughBranchCommitPullRequestFailedAndFixedBuildAndMerge() throws Exception {
        String tenant = "delivery-" + UUID.randomUUID().toString().substring(0, 8);
        String operator = tokens.token(tenant, "operator");
        List<JsonNode> forgeEvents = new CopyOnWriteArrayList<>();
        List<JsonNode> roadmapEvents = new CopyOnWriteArrayList<>();
        try (KafkaConsumer<String, String> forge = StackClient.consumerAtEnd("devloop.forge.events");
                KafkaConsumer<String, String> roadmap = StackClient.consumerAtEnd("devloop.roadmap.events")) {
            client.gateway(operator)
                    .contentType("application/yaml")
                    .body(ROADMAP.getBytes(StandardCharsets.UTF_8))
                    .post("/api/v1/roadmap/import")
                    .then()
                    .statusCode(200);
            assertThat(client.gateway(operator)
                            .get("/api/v1/roadmap/ready?level=feature&under=v2")
                            .then()
                            .statusCode(200)
                            .extract()
                            .jsonPath()
                            .getList("items.id", String.class))
                    .containsExactly(FEATURE);

            // the planner hands the ready feature to delivery and waits for it
            String plannerRun = client.gateway(operator)
                    .contentType(ContentType.JSON)
                    .body(Map.of("input", "[plan-dlv] Feature " + FEATURE + " is ready: have it delivered."))
                    .post("/api/v1/agents/planner/runs")
                    .then()
                    .statusCode(202)
                    .extract()
                    .jsonPath()
                    .getString("id");
            JsonPath planner = client.eventually(
                    operator,
                    "/api/v1/runs/" + plannerRun,
                    body -> List.of("COMPLETED", "FAILED", "TRIPPED", "CANCELLED")
                            .contains(body.getString("status")),
                    300);
            assertThat(planner.getString("status"))
                    .as("planner run: " + planner.prettify())
                    .isEqualTo("COMPLETED");
            String deliveryRun = planner.getString("steps.find { it.tool == 'handoff' }.output.runId");
            JsonPath delivery = run(operator, deliveryRun);
            assertThat(delivery.getString("agentType")).isEqualTo("delivery");
            assertThat(delivery.getString("status")).isEqualTo("COMPLETED");
            List<String> children = delivery.getList("steps.findAll { it.tool == 'spawn_agent' }.output.run.runId");
            assertThat(children).hasSize(5);
            List<String> childTypes = children.stream()
                    .map(id -> run(operator, id).getString("agentType"))
                    .toList();
            assertThat(childTypes).containsExactly("repository", "cicd", "repository", "cicd", "pr_manager");

            // the secret scan refused the first commit, naming the file and rule but never the key; the retry passed
            JsonPath repo1 = run(operator, children.get(0));
            List<Map<String, Object>> commits = repo1.getList("steps.findAll { it.tool == 'git_commit' }");
            assertThat(commits).hasSize(2);
            String refusal =
                    String.valueOf(commits.get(0).get("error")) + commits.get(0).get("output");
            assertThat(refusal).contains("calc.sh").containsIgnoringCase("aws").doesNotContain(FAKE_AWS_KEY);
            assertThat(commits.get(1).get("error")).isNull();
            assertThat(repo1.getString("result")).contains("Pull request 1");

            // the CI/CD agent read the failed check's log and recorded its analysis on the feature
            JsonPath ci1 = run(operator, children.get(1));
            assertThat(ci1.getString("steps.find { it.tool == 'forge_checks' }.output.state"))
                    .isEqualTo("failure");
            assertThat(ci1.getString("steps.find { it.tool == 'forge_check_log' }.output.text"))
                    .contains("FAIL calc div 7 2");
            assertThat(run(operator, children.get(3))
                            .getString("steps.find { it.tool == 'forge_checks' }.output.state"))
                    .isEqualTo("success");

            // the merge moved the feature to done, its tasks with it, and the roll-up
            JsonPath feature = client.eventually(
                    operator, "/api/v1/roadmap/nodes/" + FEATURE, body -> "done".equals(body.getString("status")), 60);
            assertThat(feature.getString("links.pullRequest.state")).isEqualTo("merged");
            assertThat(feature.getString("links.branch")).isEqualTo("feature/" + FEATURE);
            assertThat(feature.getList("links.commits")).hasSizeGreaterThanOrEqualTo(2);
            assertThat(feature.getString("links.checks.conclusion")).isEqualTo("success");
            assertThat(feature.getString("metadata.ciAnalysis")).contains("div multiplies");
            assertThat(client.gateway(operator)
                            .get("/api/v1/roadmap/nodes/v2/progress")
                            .then()
                            .statusCode(200)
                            .extract()
                            .jsonPath()
                            .getDouble("progress"))
                    .isEqualTo(1.0);
            String changelog = client.gateway(operator)
                    .get("/api/v1/roadmap/features/" + FEATURE + "/changelog")
                    .then()
                    .statusCode(200)
                    .extract()
                    .asString();
            assertThat(changelog).contains("Integer division").contains("/demo/pull/1");

            // every forge step went over Kafka as a GitHub-shaped event, and the roadmap followed
            StackClient.awaitEvents(
                    forge,
                    tenant,
                    forgeEvents,
                    seen -> StackClient.types(seen)
                            .containsAll(List.of(
                                    "dev.devloop.forge.github.pull_request:opened",
                                    "dev.devloop.forge.github.pull_request:closed")),
                    Duration.ofSeconds(30));
            List<JsonNode> checkRuns = forgeEvents.stream()
                    .filter(e -> e.path("type").asText().endsWith(".check_run"))
                    .toList();
            assertThat(checkRuns)
                    .extracting(e ->
                            e.path("data").path("check_run").path("conclusion").asText())
                    .containsExactly("failure", "success");
            assertThat(forgeEvents).anyMatch(e -> e.path("type").asText().endsWith(".push"));
            StackClient.awaitEvents(
                    roadmap,
                    tenant,
                    roadmapEvents,
                    seen -> seen.stream()
                            .anyMatch(e -> e.path("type").asText().equals("dev.devloop.roadmap.status.changed")
                                    && FEATURE.equals(e.path("data").path("id").asText())
                                    && "done".equals(e.path("data").path("to").asText())),
                    Duration.ofSeconds(30));
        }
    }

    private static JsonPath run(String token, String runId) {
        return client.gateway(token)
                .get("/api/v1/runs/" + runId)
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
    }

    private static ScriptedModel.Call spawn(String type, String task) {
        return call("spawn_agent", Map.of("agent_type", type, "task", task));
    }

    private static Map<String, Object> with(Map<String, Object> base, Object... pairs) {
        Map<String, Object> map = new java.util.LinkedHashMap<>(base);
        for (int i = 0; i < pairs.length; i += 2) {
            map.put((String) pairs[i], pairs[i + 1]);
        }
        return map;
    }

    /** The demo calculator (deploy/demo-repo/calc.sh) with a {@code div} operation computed by {@code expr}. */
    private static String calc(String expr) {
        return """
        #!/bin/sh
        # calc.sh - the demo project of Devloop's local forge: a tiny integer calculator.
        #   sh calc.sh add|sub|mul|max|div A B
        set -eu
        op=${1:?usage: calc.sh add|sub|mul|max|div A B}
        a=${2:?missing A}
        b=${3:?missing B}
        case "$op" in
          add) echo $((a + b)) ;;
          sub) echo $((a - b)) ;;
          mul) echo $((a * b)) ;;
          max) if [ "$a" -ge "$b" ]; then echo "$a"; else echo "$b"; fi ;;
          div) echo EXPR ;;
          *)
            echo "unknown operation: $op" >&2
            exit 2
            ;;
        esac
        """.replace("EXPR", expr);
    }

    /** deploy/demo-repo/check.sh with one more case, for div. */
    private static String check() {
        try {
            Path root = Path.of(System.getProperty("devloop.root", ".."))
                    .toAbsolutePath()
                    .normalize();
            String original = Files.readString(root.resolve("deploy/demo-repo/check.sh"));
            return original.replace("expect 7 max -1 7\n", "expect 7 max -1 7\nexpect 3 div 7 2\n");
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
