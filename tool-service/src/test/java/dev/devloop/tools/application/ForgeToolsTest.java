package dev.devloop.tools.application;

import static dev.devloop.tools.support.Fixtures.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.devloop.contracts.problem.ProblemException;
import dev.devloop.tools.domain.ToolKind;
import dev.devloop.tools.ports.in.InvocationResult;
import dev.devloop.tools.ports.in.InvokeToolCommand;
import dev.devloop.tools.ports.out.ForgePort;
import dev.devloop.tools.ports.out.ToolMetricsPort;
import dev.devloop.tools.support.Fixtures;
import dev.devloop.tools.support.InMemoryPorts;
import dev.devloop.tools.support.Invoker;
import dev.devloop.tools.support.Refusals;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The forge tools through the invocation use case (the shipped schemas, then the tools' own checks) over an
 * in-memory forge: arguments, the generated body, bounds, the wait for checks and how refusals read.
 */
class ForgeToolsTest {
    private final String tenant = Fixtures.tenant();
    private final ExecutorService pool = Executors.newCachedThreadPool();
    private final FakeForge forge = new FakeForge();
    private final List<String> metrics = Collections.synchronizedList(new ArrayList<>());
    private final List<Long> sleeps = Collections.synchronizedList(new ArrayList<>());
    private InvokeToolService service;
    private ForgeTools tools;

    @BeforeEach
    void setUp() {
        InMemoryPorts.Registry registry = new InMemoryPorts.Registry();
        Fixtures.shippedTools().forEach(registry::save);
        ForgeSettings settings = new ForgeSettings(
                Map.of("app", "main", "quiet", "main", "hub", "main"),
                Map.of("hub", "github"),
                Set.of("app"),
                20,
                500,
                65_536,
                256,
                20);
        tools = new ForgeTools(
                new ForgeRouter(Map.of("local", forge), settings),
                settings,
                new ToolMetricsPort() {
                    @Override
                    public void quotaRefused(String window, ToolKind kind) {}

                    @Override
                    public void forgeCall(String tool, String outcome) {
                        metrics.add(tool + "/" + outcome);
                    }
                },
                millis -> {
                    sleeps.add(millis);
                    forge.ticks.incrementAndGet();
                });
        service = Invoker.over(registry, new InMemoryPorts.Audit(), pool, tools.executors());
    }

    @AfterEach
    void tearDown() {
        pool.shutdownNow();
    }

    private InvocationResult call(String tool, String args) {
        return service.invoke(new InvokeToolCommand(tenant, tool, json(args), "repository", "agent-1", "run-1", null));
    }

    private InvocationResult succeeded(String tool, String args) {
        InvocationResult result = call(tool, args);
        assertThat(result.status()).as(tool + " " + result.error()).isEqualTo(InvocationResult.SUCCEEDED);
        return result;
    }

    private ProblemException refused(String tool, String args) {
        Throwable t = catchThrowable(() -> call(tool, args));
        return Refusals.asProblem(t);
    }

    private static final String OPEN = "{\"repository\":\"app\",\"featureId\":\"login\",\"title\":\" Login page \","
            + "\"summary\":\"Adds the login page.\",\"changes\":[\"a form\",\"a route\\nwith two lines\"],"
            + "\"testPlan\":\"./check.sh\"";

    @Test
    void openPrGeneratesTheBodyWithTheFeatureMarkerOnTheFeatureBranch() {
        InvocationResult result = succeeded("forge_open_pr", OPEN + "}");

        ForgePort.NewPullRequest opened = forge.opened.get(0);
        assertThat(opened.head()).isEqualTo("feature/login");
        assertThat(opened.base()).isEqualTo("main");
        assertThat(opened.title()).isEqualTo("Login page");
        assertThat(opened.draft()).isFalse();
        assertThat(opened.body())
                .isEqualTo("## Summary\n\nAdds the login page.\n\n## Changes\n\n- a form\n"
                        + "- a route\n  with two lines\n\n## Test plan\n\n./check.sh\n\nDevloop-Feature: login\n");
        assertThat(result.output().path("number").asInt()).isEqualTo(1);
        assertThat(result.output().path("checks").asText()).contains("devloop/check runs on " + FakeForge.SHA);
        assertThat(metrics).contains("forge_open_pr/succeeded");
    }

    @Test
    void openPrTakesABaseAndDraftAndSaysWhenNoChecksRun() {
        InvocationResult result = succeeded(
                "forge_open_pr", OPEN.replace("\"app\"", "\"quiet\"") + ",\"base\":\"release/1.x\",\"draft\":true}");
        assertThat(forge.opened.get(0).base()).isEqualTo("release/1.x");
        assertThat(forge.opened.get(0).draft()).isTrue();
        assertThat(result.output().path("checks").asText())
                .contains("no check command is configured for repository quiet");
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "{\"repository\":\"elsewhere\",\"featureId\":\"x\",\"title\":\"t\",\"summary\":\"s\",\"changes\":[\"c\"],\"testPlan\":\"p\"}|repository",
                "{\"repository\":\"app\",\"featureId\":\"x..y\",\"title\":\"t\",\"summary\":\"s\",\"changes\":[\"c\"],\"testPlan\":\"p\"}|featureId",
                "{\"repository\":\"app\",\"featureId\":\"x\",\"title\":\"   \",\"summary\":\"s\",\"changes\":[\"c\"],\"testPlan\":\"p\"}|title",
                "{\"repository\":\"app\",\"featureId\":\"x\",\"title\":\"t\",\"summary\":\"s\",\"changes\":[\"  \"],\"testPlan\":\"p\"}|changes",
                "{\"repository\":\"app\",\"featureId\":\"x\",\"title\":\"t\",\"summary\":\"s\",\"changes\":[\"c\"],\"testPlan\":\"p\",\"base\":\"a..b\"}|base",
            })
    void openPrRefusesBadArgumentsNamingTheField(String args, String field) {
        assertThat(refused("forge_open_pr", args).problem().field()).isEqualTo(field);
        assertThat(forge.opened).isEmpty();
    }

    @Test
    void aTitleOver256CharactersOrABodyOver64KiBIsRefused() {
        String title = "t".repeat(257);
        assertThat(refused("forge_open_pr", OPEN.replace(" Login page ", title) + "}")
                        .problem()
                        .field())
                .isEqualTo("title");
        String big = "s".repeat(32_000);
        String args = "{\"repository\":\"app\",\"featureId\":\"x\",\"title\":\"t\",\"summary\":\"" + big
                + "\",\"changes\":[\"" + "c".repeat(2000) + "\"" + (",\"" + "c".repeat(2000) + "\"").repeat(20)
                + "],\"testPlan\":\"" + "p".repeat(12_000) + "\"}";
        ProblemException problem = refused("forge_open_pr", args);
        assertThat(problem.problem().field()).isEqualTo("summary");
        assertThat(problem.problem().detail()).contains("at most 65536");
        assertThat(forge.opened).isEmpty();
    }

    @Test
    void getPrByNumberOrByTheFeaturesOpenPullRequestWithReviews() {
        succeeded("forge_open_pr", OPEN + "}");
        succeeded("forge_review_pr", "{\"repository\":\"app\",\"number\":1,\"event\":\"APPROVE\"}");
        InvocationResult byFeature = succeeded("forge_get_pr", "{\"repository\":\"app\",\"featureId\":\"login\"}");
        assertThat(byFeature.output().path("number").asInt()).isEqualTo(1);
        assertThat(byFeature.output().path("reviews").get(0).path("state").asText())
                .isEqualTo("APPROVED");
        assertThat(succeeded("forge_get_pr", "{\"repository\":\"app\",\"number\":1}")
                        .output()
                        .path("head")
                        .asText())
                .isEqualTo("feature/login");

        assertThat(refused("forge_get_pr", "{\"repository\":\"app\"}").problem().field())
                .isEqualTo("number");
        InvocationResult none = call("forge_get_pr", "{\"repository\":\"app\",\"featureId\":\"other\"}");
        assertThat(none.status()).isEqualTo(InvocationResult.FAILED);
        assertThat(none.error()).isEqualTo("no open pull request for feature/other in app");
    }

    @Test
    void aForgeRefusalIsAFailedResultWithItsStatus() {
        InvocationResult missing = call("forge_get_pr", "{\"repository\":\"app\",\"number\":7}");
        assertThat(missing.status()).isEqualTo(InvocationResult.FAILED);
        assertThat(missing.error()).isEqualTo("the forge refused the call (404): no pull request #7");

        forge.mergeRefusal = new ForgePort.ForgeException(409, "merge conflict in [calc.sh]");
        InvocationResult conflict =
                call("forge_merge_pr", "{\"repository\":\"app\",\"number\":1,\"method\":\"squash\"}");
        assertThat(conflict.error()).isEqualTo("the forge refused the call (409): merge conflict in [calc.sh]");
        forge.mergeRefusal = new ForgePort.ForgeException(429, "rate limited", Optional.of(30L));
        assertThat(call("forge_merge_pr", "{\"repository\":\"app\",\"number\":1}")
                        .error())
                .endsWith("; retry in 30 s");
        assertThat(metrics).contains("forge_get_pr/refused", "forge_merge_pr/refused");
    }

    @Test
    void mergePassesMethodAndExpectedHeadAndChecksTheSha() {
        InvocationResult merged = succeeded(
                "forge_merge_pr",
                "{\"repository\":\"app\",\"number\":1,\"method\":\"rebase\"," + "\"expectedHeadSha\":\"" + FakeForge.SHA
                        + "\"}");
        assertThat(merged.output().path("merged").asBoolean()).isTrue();
        assertThat(forge.merges).containsExactly("1 rebase " + FakeForge.SHA);
        assertThat(refused("forge_merge_pr", "{\"repository\":\"app\",\"number\":1,\"expectedHeadSha\":\"abc\"}")
                        .problem()
                        .field())
                .isEqualTo("expectedHeadSha");
        assertThat(refused("forge_merge_pr", "{\"repository\":\"app\",\"number\":0}")
                        .problem()
                        .field())
                .isEqualTo("number");
    }

    @Test
    void reviewNeedsABodyUnlessApproving() {
        assertThat(refused("forge_review_pr", "{\"repository\":\"app\",\"number\":1,\"event\":\"COMMENT\"}")
                        .problem()
                        .field())
                .isEqualTo("body");
        assertThat(refused("forge_review_pr", "{\"repository\":\"app\",\"number\":1,\"event\":\"MERGE\"}")
                        .problem()
                        .field())
                .isEqualTo("event");
    }

    @Test
    void checksWaitUntilEveryCheckCompletedPollingTheForge() {
        forge.completeAfterTicks = 3;
        InvocationResult result =
                succeeded("forge_checks", "{\"repository\":\"app\",\"featureId\":\"login\",\"waitSeconds\":30}");
        assertThat(result.output().path("state").asText()).isEqualTo("failure");
        assertThat(result.output().path("ref").asText()).isEqualTo("feature/login");
        assertThat(result.output().path("checks").get(0).path("conclusion").asText())
                .isEqualTo("failure");
        assertThat(sleeps).hasSize(3).allSatisfy(ms -> assertThat(ms).isEqualTo(500L));
    }

    @Test
    void checksWithoutAWaitAnswerPendingAtOnce() {
        forge.completeAfterTicks = 3;
        InvocationResult result =
                succeeded("forge_checks", "{\"repository\":\"app\",\"ref\":\"" + FakeForge.SHA + "\"}");
        assertThat(result.output().path("state").asText()).isEqualTo("pending");
        assertThat(sleeps).isEmpty();
        assertThat(forge.checkedRefs).containsExactly(FakeForge.SHA);
    }

    @Test
    void aLocalRepositoryWithoutACheckCommandAnswersNoneWithoutWaiting() {
        InvocationResult result =
                succeeded("forge_checks", "{\"repository\":\"quiet\",\"ref\":\"main\",\"waitSeconds\":60}");
        assertThat(result.output().path("state").asText()).isEqualTo("none");
        assertThat(result.output().path("note").asText())
                .contains("no check command is configured for repository quiet");
        assertThat(sleeps).isEmpty();
    }

    @Test
    void aLocalRefWithoutAnyCheckIsNotWaitedFor() {
        InvocationResult result = succeeded(
                "forge_checks", "{\"repository\":\"app\",\"ref\":\"feature/unopened\"," + "\"waitSeconds\":60}");
        assertThat(result.output().path("state").asText()).isEqualTo("pending");
        assertThat(result.output().path("note").asText())
                .contains("the local forge checks the heads of open pull requests");
        assertThat(sleeps).isEmpty();
    }

    @Test
    void checksArgumentsAreBounded() {
        assertThat(refused("forge_checks", "{\"repository\":\"app\",\"ref\":\"main\",\"waitSeconds\":121}")
                        .problem()
                        .field())
                .isEqualTo("waitSeconds");
        assertThat(refused("forge_checks", "{\"repository\":\"app\"}").problem().field())
                .isEqualTo("ref");
        assertThat(refused("forge_check_log", "{\"repository\":\"app\",\"checkId\":\"1\",\"maxBytes\":65537}")
                        .problem()
                        .field())
                .isEqualTo("maxBytes");
    }

    @Test
    void checkLogAnswersTheTail() {
        InvocationResult log =
                succeeded("forge_check_log", "{\"repository\":\"app\",\"checkId\":\"4\",\"maxBytes\":5}");
        assertThat(log.output().path("text").asText()).isEqualTo("ailed");
        assertThat(log.output().path("truncated").asBoolean()).isTrue();
    }

    @Test
    void checkLogOfAFeatureReadsItsLatestFailedCheck() {
        forge.completeAfterTicks = 0;
        InvocationResult log = succeeded("forge_check_log", "{\"repository\":\"app\",\"featureId\":\"calc-add\"}");
        assertThat(log.output().path("checkId").asText()).isEqualTo("4");
        assertThat(forge.checkedRefs).contains("feature/calc-add");
        assertThat(refused("forge_check_log", "{\"repository\":\"app\"}")
                        .problem()
                        .field())
                .isEqualTo("checkId");
    }

    @Test
    void issuesCarryTheFeatureMarkerAndBoundedLabels() {
        InvocationResult issue = succeeded(
                "forge_create_issue",
                "{\"repository\":\"app\",\"title\":\"Broken add\","
                        + "\"body\":\"add subtracts\",\"labels\":[\"bug\",\"ci\"],\"featureId\":\"calc-add\"}");
        assertThat(forge.issueBodies).containsExactly("add subtracts\n\nDevloop-Feature: calc-add\n");
        assertThat(issue.output().path("labels").toString()).isEqualTo("[\"bug\",\"ci\"]");
        String many = "["
                + String.join(
                        ",",
                        java.util.stream.IntStream.range(0, 21)
                                .mapToObj(i -> "\"l" + i + "\"")
                                .toList()) + "]";
        assertThat(refused("forge_label_issue", "{\"repository\":\"app\",\"number\":1,\"labels\":" + many + "}")
                        .problem()
                        .field())
                .isEqualTo("labels");
        assertThat(refused("forge_label_issue", "{\"repository\":\"app\",\"number\":1,\"labels\":[\"a,b\"]}")
                        .problem()
                        .field())
                .isEqualTo("labels.0");
        assertThat(succeeded("forge_label_issue", "{\"repository\":\"app\",\"number\":1,\"labels\":[\"triage\"]}")
                        .output()
                        .path("labels")
                        .toString())
                .contains("triage");
        assertThat(succeeded("forge_close_issue", "{\"repository\":\"app\",\"number\":1}")
                        .output()
                        .path("state")
                        .asText())
                .isEqualTo("closed");
    }

    @Test
    void aRepositoryOfAKindWithoutAdapterFailsReadably() {
        InvocationResult result = call("forge_get_pr", "{\"repository\":\"hub\",\"number\":1}");
        assertThat(result.status()).isEqualTo(InvocationResult.FAILED);
        assertThat(result.error()).contains("forge kind 'github'", "available: [local]");
    }

    @Test
    void aPushThroughTheGitToolsReachesTheForgeAndNamesThePullRequest() {
        succeeded("forge_open_pr", OPEN + "}");
        Optional<String> note =
                tools.pushed(tenant, "app", "feature/login", FakeForge.SHA, "b".repeat(40), List.of("b".repeat(40)));
        assertThat(forge.pushes).containsExactly("feature/login " + FakeForge.SHA + ".." + "b".repeat(40));
        assertThat(note).hasValueSatisfying(n -> assertThat(n).startsWith("pull request #1 now has head"));
        assertThat(tools.pushed(tenant, "hub", "feature/x", null, "c".repeat(40), List.of()))
                .isEmpty();
    }

    /** A forge in memory: one PR number sequence, a check that completes after some polls. */
    static final class FakeForge implements ForgePort {
        static final String SHA = "a".repeat(40);
        final List<NewPullRequest> opened = Collections.synchronizedList(new ArrayList<>());
        final List<String> merges = Collections.synchronizedList(new ArrayList<>());
        final List<String> pushes = Collections.synchronizedList(new ArrayList<>());
        final List<String> checkedRefs = Collections.synchronizedList(new ArrayList<>());
        final List<String> issueBodies = Collections.synchronizedList(new ArrayList<>());
        final List<Review> reviews = Collections.synchronizedList(new ArrayList<>());
        final AtomicInteger ticks = new AtomicInteger();
        volatile int completeAfterTicks;
        volatile ForgeException mergeRefusal;
        private final List<String> labels = Collections.synchronizedList(new ArrayList<>());

        @Override
        public String kind() {
            return "local";
        }

        private PullRequest pr(NewPullRequest r, int number) {
            return new PullRequest(
                    number,
                    "devloop-forge://local/t/app/pull/" + number,
                    "open",
                    r.title(),
                    r.body(),
                    r.head(),
                    r.base(),
                    SHA,
                    Optional.empty());
        }

        @Override
        public PullRequest openPullRequest(String tenant, String repository, NewPullRequest request) {
            opened.add(request);
            return pr(request, opened.size());
        }

        @Override
        public PullRequest pullRequest(String tenant, String repository, int number) {
            if (number > opened.size()) {
                throw new ForgeException(404, "no pull request #" + number);
            }
            return pr(opened.get(number - 1), number);
        }

        @Override
        public Optional<PullRequest> openPullRequestFor(String tenant, String repository, String branch) {
            for (int i = 0; i < opened.size(); i++) {
                if (opened.get(i).head().equals(branch)) {
                    return Optional.of(pr(opened.get(i), i + 1));
                }
            }
            return Optional.empty();
        }

        @Override
        public List<Review> reviews(String tenant, String repository, int number) {
            return List.copyOf(reviews);
        }

        @Override
        public Review review(String tenant, String repository, int number, String event, String body) {
            Review review =
                    new Review(reviews.size() + 1, event.equals("APPROVE") ? "APPROVED" : "COMMENTED", body, "devloop");
            reviews.add(review);
            return review;
        }

        @Override
        public Merged merge(
                String tenant, String repository, int number, String method, Optional<String> expectedHeadSha) {
            if (mergeRefusal != null) {
                throw mergeRefusal;
            }
            merges.add(number + " " + method + " " + expectedHeadSha.orElse("-"));
            return new Merged(true, "c".repeat(40), "merged");
        }

        @Override
        public Issue createIssue(String tenant, String repository, String title, String body, List<String> labels) {
            issueBodies.add(body);
            this.labels.addAll(labels);
            return new Issue(1, "devloop-forge://local/t/app/issues/1", "open", title, List.copyOf(this.labels));
        }

        @Override
        public Issue addLabels(String tenant, String repository, int number, List<String> labels) {
            this.labels.addAll(labels);
            return new Issue(number, "u", "open", "t", List.copyOf(this.labels));
        }

        @Override
        public Issue closeIssue(String tenant, String repository, int number) {
            return new Issue(number, "u", "closed", "t", List.copyOf(labels));
        }

        @Override
        public List<Check> checks(String tenant, String repository, String ref, int limit) {
            checkedRefs.add(ref);
            if (repository.equals("quiet") || ref.equals("feature/unopened")) {
                return List.of();
            }
            boolean done = ticks.get() >= completeAfterTicks;
            return List.of(new Check(
                    "4",
                    "devloop/check",
                    "check_run",
                    done ? "completed" : "in_progress",
                    done ? Optional.of("failure") : Optional.empty(),
                    "u",
                    "failed",
                    SHA));
        }

        @Override
        public CheckLog checkLog(String tenant, String repository, String checkId, int maxBytes) {
            String text = "check failed";
            return new CheckLog(
                    checkId, text.substring(Math.max(0, text.length() - maxBytes)), text.length() > maxBytes);
        }

        @Override
        public void branchPushed(
                String tenant, String repository, String branch, String before, String after, List<String> commits) {
            pushes.add(branch + " " + before + ".." + after);
        }
    }
}
