package dev.devloop.tools.adapters.out.forge.github;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToIgnoreCase;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.patch;
import static com.github.tomakehurst.wiremock.client.WireMock.patchRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.putRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static dev.devloop.tools.adapters.out.forge.github.GitHubFixtures.array;
import static dev.devloop.tools.adapters.out.forge.github.GitHubFixtures.object;
import static dev.devloop.tools.adapters.out.forge.github.GitHubFixtures.raw;
import static dev.devloop.tools.adapters.out.forge.github.GitHubFixtures.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import dev.devloop.tools.ports.out.ForgePort.Check;
import dev.devloop.tools.ports.out.ForgePort.CheckLog;
import dev.devloop.tools.ports.out.ForgePort.ForgeException;
import dev.devloop.tools.ports.out.ForgePort.Issue;
import dev.devloop.tools.ports.out.ForgePort.Merged;
import dev.devloop.tools.ports.out.ForgePort.NewPullRequest;
import dev.devloop.tools.ports.out.ForgePort.PullRequest;
import dev.devloop.tools.ports.out.ForgePort.Review;
import dev.devloop.tools.support.MovableClock;
import io.vertx.core.Vertx;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.ThrowingSupplier;

/**
 * Contract tests of {@link GitHubForge} against a WireMock server answering with GitHub's own bodies (the OpenAPI
 * description's examples and {@code @octokit/fixtures} recordings, src/test/resources/github-api/README.md): every
 * operation with its exact request (method, path, query, JSON body, headers), pagination, ETags, rate limits and
 * every error path.
 */
class GitHubForgeContractTest {
    static final String TOKEN = "github_pat_11DEVLOOPTEST0000000000_wiremockOnlyNotARealTokenAtAll0000000000000";
    static final String TENANT = "acme";
    static final String OWNER = "octocat";
    static final String REPO = "Hello-World";
    static final String BASE = "/repos/" + OWNER + "/" + REPO;
    static final Instant NOW = Instant.parse("2026-01-15T10:00:00Z");

    static WireMockServer wiremock;
    static Vertx vertx;
    MovableClock clock;
    GitHubForge forge;

    @BeforeAll
    static void startServers() {
        wiremock = new WireMockServer(options().dynamicPort());
        wiremock.start();
        vertx = Vertx.vertx();
    }

    @AfterAll
    static void stopServers() {
        wiremock.stop();
        vertx.close().toCompletionStage().toCompletableFuture().join();
    }

    @BeforeEach
    void newForge() {
        wiremock.resetAll();
        clock = new MovableClock(NOW);
        // no test here is about the deadline (the one that is sets its own): 5 s failed a loaded box's run (stop 27)
        forge = forge(settings(Optional.of(TOKEN), Duration.ofSeconds(30), 10, 100, 256 * 1024));
    }

    @AfterEach
    void closeForge() {
        forge.close();
    }

    GitHubForge forge(GitHubForgeSettings settings) {
        return new GitHubForge(settings, vertx, clock);
    }

    static GitHubForgeSettings settings(
            Optional<String> token, Duration timeout, int maxPages, int perPage, int maxResponseBytes) {
        return new GitHubForgeSettings(
                URI.create(wiremock.baseUrl()),
                token,
                Map.of("app", new GitHubForgeSettings.Repo(OWNER, REPO)),
                timeout,
                maxPages,
                perPage,
                100,
                1024 * 1024,
                maxResponseBytes,
                1024 * 1024);
    }

    static ResponseDefinitionBuilder json(int status, String body) {
        return aResponse()
                .withStatus(status)
                .withHeader("Content-Type", "application/json; charset=utf-8")
                .withHeader("x-ratelimit-limit", "5000")
                .withHeader("x-ratelimit-remaining", "4999")
                .withHeader("x-ratelimit-reset", Long.toString(NOW.getEpochSecond() + 3600))
                .withBody(body);
    }

    /** The refusal {@code call} throws; whatever it is, the token is nowhere in it. */
    static ForgeException refusal(ThrowingSupplier<?> call) {
        ForgeException e = catchThrowableOfType(ForgeException.class, () -> call.get());
        assertThat(e).as("a ForgeException").isNotNull();
        assertThat(e.getMessage()).doesNotContain(TOKEN).doesNotContain("Bearer");
        assertThat(String.valueOf(e)).doesNotContain(TOKEN);
        return e;
    }

    @Nested
    class PullRequests {
        @Test
        void openSendsTheBodyAndHeadersAndMapsGitHubsAnswer() {
            wiremock.stubFor(post(urlPathEqualTo(BASE + "/pulls"))
                    .willReturn(json(201, text("pulls-get.json"))
                            .withHeader("Location", wiremock.baseUrl() + BASE + "/pulls/1347")));

            PullRequest pr = forge.openPullRequest(
                    TENANT,
                    "app",
                    new NewPullRequest(
                            "Amazing new feature",
                            "## Summary\nx\n\nDevloop-Feature: login",
                            "new-topic",
                            "master",
                            false));

            assertThat(pr)
                    .isEqualTo(new PullRequest(
                            1347,
                            "https://github.com/octocat/Hello-World/pull/1347",
                            "open",
                            "Amazing new feature",
                            "Please pull these awesome changes in!",
                            "new-topic",
                            "master",
                            "6dcb09b5b57875f334f61aebed695e2e4193db5e",
                            Optional.empty()));
            wiremock.verify(
                    1,
                    postRequestedFor(urlPathEqualTo(BASE + "/pulls"))
                            .withHeader("Accept", equalTo("application/vnd.github+json"))
                            .withHeader("X-GitHub-Api-Version", equalTo("2022-11-28"))
                            .withHeader("Authorization", equalTo("Bearer " + TOKEN))
                            .withHeader("User-Agent", equalTo("devloop-tool-service"))
                            .withHeader("Content-Type", equalToIgnoreCase("application/json; charset=utf-8"))
                            .withRequestBody(equalToJson("""
              {"title": "Amazing new feature", "head": "new-topic", "base": "master",
               "body": "## Summary\\nx\\n\\nDevloop-Feature: login", "draft": false}""")));
        }

        @Test
        void withoutATokenNoAuthorizationHeaderIsSent() {
            try (GitHubForge anonymous =
                    forge(settings(Optional.empty(), Duration.ofSeconds(5), 10, 100, 256 * 1024))) {
                wiremock.stubFor(
                        get(urlPathEqualTo(BASE + "/pulls/1347")).willReturn(json(200, text("pulls-get.json"))));
                assertThat(anonymous.pullRequest(TENANT, "app", 1347).number()).isEqualTo(1347);
            }
            wiremock.verify(
                    1, getRequestedFor(urlPathEqualTo(BASE + "/pulls/1347")).withHeader("Authorization", absent()));
        }

        @Test
        void aMergedPullRequestIsMergedWithItsMergeCommit() {
            ObjectNode merged = object("pulls-get.json");
            merged.put("state", "closed").put("merged", true).put("merged_at", "2011-01-26T19:01:12Z");
            wiremock.stubFor(get(urlPathEqualTo(BASE + "/pulls/1347")).willReturn(json(200, merged.toString())));

            PullRequest pr = forge.pullRequest(TENANT, "app", 1347);

            assertThat(pr.state()).isEqualTo("merged");
            assertThat(pr.mergeCommitSha()).contains("e5bd3914e2e596debea16f433f57875b5b90bcd6");
        }

        @Test
        void aClosedUnmergedPullRequestIsClosed() {
            ObjectNode closed = object("pulls-get.json");
            closed.put("state", "closed").put("merged", false).putNull("merged_at");
            wiremock.stubFor(get(urlPathEqualTo(BASE + "/pulls/1347")).willReturn(json(200, closed.toString())));

            PullRequest pr = forge.pullRequest(TENANT, "app", 1347);

            assertThat(pr.state()).isEqualTo("closed");
            assertThat(pr.mergeCommitSha()).isEmpty();
        }

        @Test
        void theOpenPullRequestOfABranchIsListedByOwnerColonBranch() {
            ArrayNode list = array("pulls-list.json");
            ((ObjectNode) list.get(0)).putNull("merged_at");
            ((ObjectNode) list.get(0).get("head")).put("ref", "feature/login");
            wiremock.stubFor(get(urlPathEqualTo(BASE + "/pulls"))
                    .withQueryParam("head", equalTo("octocat:feature/login"))
                    .withQueryParam("state", equalTo("open"))
                    .willReturn(json(200, list.toString())));
            wiremock.stubFor(get(urlPathEqualTo(BASE + "/pulls"))
                    .withQueryParam("head", equalTo("octocat:feature/none"))
                    .willReturn(json(200, "[]")));

            Optional<PullRequest> found = forge.openPullRequestFor(TENANT, "app", "feature/login");

            assertThat(found).get().satisfies(pr -> {
                assertThat(pr.number()).isEqualTo(1347);
                assertThat(pr.head()).isEqualTo("feature/login");
                assertThat(pr.state()).isEqualTo("open");
            });
            assertThat(forge.openPullRequestFor(TENANT, "app", "feature/none")).isEmpty();
        }

        @Test
        void reviewsAreListedAndCreated() {
            wiremock.stubFor(get(urlPathEqualTo(BASE + "/pulls/12/reviews"))
                    .withQueryParam("per_page", equalTo("100"))
                    .willReturn(json(200, text("pulls-reviews-list.json"))));
            wiremock.stubFor(post(urlPathEqualTo(BASE + "/pulls/12/reviews"))
                    .willReturn(json(200, text("pulls-review-create.json"))));

            assertThat(forge.reviews(TENANT, "app", 12))
                    .containsExactly(new Review(80, "APPROVED", "Here is the body for the review.", "octocat"));
            Review created = forge.review(TENANT, "app", 12, "REQUEST_CHANGES", "Please add a test.");

            assertThat(created.id()).isEqualTo(80);
            assertThat(created.author()).isEqualTo("octocat");
            wiremock.verify(postRequestedFor(urlPathEqualTo(BASE + "/pulls/12/reviews"))
                    .withRequestBody(
                            equalToJson("{\"event\": \"REQUEST_CHANGES\", \"body\": \"Please add a test.\"}")));
        }

        @Test
        void mergeSendsTheMethodAndTheExpectedHead() {
            wiremock.stubFor(put(urlPathEqualTo(BASE + "/pulls/1347/merge"))
                    .willReturn(json(200, text("pulls-merge-200.json"))));

            Merged merged =
                    forge.merge(TENANT, "app", 1347, "squash", Optional.of("6dcb09b5b57875f334f61aebed695e2e4193db5e"));

            assertThat(merged)
                    .isEqualTo(new Merged(
                            true, "6dcb09b5b57875f334f61aebed695e2e4193db5e", "Pull Request successfully merged"));
            wiremock.verify(putRequestedFor(urlPathEqualTo(BASE + "/pulls/1347/merge"))
                    .withRequestBody(equalToJson(
                            "{\"merge_method\": \"squash\", \"sha\": \"6dcb09b5b57875f334f61aebed695e2e4193db5e\"}")));
        }

        @Test
        void mergeWithoutAnExpectedHeadSendsNoSha() {
            wiremock.stubFor(put(urlPathEqualTo(BASE + "/pulls/1347/merge"))
                    .willReturn(json(200, text("pulls-merge-200.json"))));

            forge.merge(TENANT, "app", 1347, "merge", Optional.empty());

            wiremock.verify(putRequestedFor(urlPathEqualTo(BASE + "/pulls/1347/merge"))
                    .withRequestBody(equalToJson("{\"merge_method\": \"merge\"}")));
        }

        @Test
        void aPullRequestThatCannotBeMergedIs409() {
            wiremock.stubFor(put(urlPathEqualTo(BASE + "/pulls/1347/merge"))
                    .willReturn(json(405, text("pulls-merge-405.json"))));

            ForgeException e = refusal(() -> forge.merge(TENANT, "app", 1347, "merge", Optional.empty()));

            assertThat(e.status()).isEqualTo(409);
            assertThat(e.getMessage()).contains("Pull Request is not mergeable").contains("#1347");
        }

        @Test
        void aHeadThatMovedIs409() {
            wiremock.stubFor(put(urlPathEqualTo(BASE + "/pulls/1347/merge"))
                    .willReturn(json(409, text("pulls-merge-409.json"))));

            ForgeException e = refusal(() -> forge.merge(TENANT, "app", 1347, "rebase", Optional.of("0".repeat(40))));

            assertThat(e.status()).isEqualTo(409);
            assertThat(e.getMessage()).contains("Head branch was modified");
        }

        @Test
        void aSecondPullRequestForTheSameHeadIs422WithGitHubsFieldMessage() {
            wiremock.stubFor(post(urlPathEqualTo(BASE + "/pulls"))
                    .willReturn(json(422, text("error-422-pull-request-exists.json"))));

            ForgeException e = refusal(() ->
                    forge.openPullRequest(TENANT, "app", new NewPullRequest("t", "b", "new-topic", "master", true)));

            assertThat(e.status()).isEqualTo(422);
            assertThat(e.getMessage())
                    .contains("Validation Failed")
                    .contains("A pull request already exists for octocat:new-topic.")
                    .contains("(PullRequest)");
        }
    }

    @Nested
    class Issues {
        @Test
        void createSendsTitleBodyAndLabels() {
            wiremock.stubFor(post(urlPathEqualTo(BASE + "/issues")).willReturn(json(201, text("issues-create.json"))));

            Issue issue =
                    forge.createIssue(TENANT, "app", "Issue without a label", "Devloop-Feature: login", List.of());

            assertThat(issue)
                    .isEqualTo(new Issue(
                            1,
                            "https://github.com/octokit-fixture-org/add-labels-to-issue/issues/1",
                            "open",
                            "Issue without a label",
                            List.of()));
            wiremock.verify(
                    postRequestedFor(urlPathEqualTo(BASE + "/issues"))
                            .withRequestBody(
                                    equalToJson(
                                            "{\"title\": \"Issue without a label\", \"body\": \"Devloop-Feature: login\", \"labels\": []}")));
        }

        @Test
        void addLabelsPostsThemAndReadsTheIssueBack() {
            ObjectNode labelled = object("issues-create.json");
            labelled.set("labels", array("issues-add-labels.json"));
            wiremock.stubFor(post(urlPathEqualTo(BASE + "/issues/1/labels"))
                    .willReturn(json(200, text("issues-add-labels.json"))));
            wiremock.stubFor(get(urlPathEqualTo(BASE + "/issues/1")).willReturn(json(200, labelled.toString())));

            Issue issue = forge.addLabels(TENANT, "app", 1, List.of("Foo", "bAr", "baZ"));

            assertThat(issue.labels()).containsExactly("Foo", "bAr", "baZ");
            assertThat(issue.number()).isEqualTo(1);
            wiremock.verify(postRequestedFor(urlPathEqualTo(BASE + "/issues/1/labels"))
                    .withRequestBody(equalToJson("{\"labels\": [\"Foo\", \"bAr\", \"baZ\"]}")));
        }

        @Test
        void closePatchesTheState() {
            ObjectNode closed = object("issues-update.json");
            closed.put("state", "closed").put("state_reason", "completed");
            wiremock.stubFor(patch(urlPathEqualTo(BASE + "/issues/1347")).willReturn(json(200, closed.toString())));

            Issue issue = forge.closeIssue(TENANT, "app", 1347);

            assertThat(issue)
                    .isEqualTo(new Issue(
                            1347,
                            "https://github.com/octocat/Hello-World/issues/1347",
                            "closed",
                            "Found a bug",
                            List.of("bug")));
            wiremock.verify(patchRequestedFor(urlPathEqualTo(BASE + "/issues/1347"))
                    .withRequestBody(equalToJson("{\"state\": \"closed\", \"state_reason\": \"completed\"}")));
        }

        @Test
        void anInvalidLabelIs422NamingTheField() {
            wiremock.stubFor(post(urlPathEqualTo(BASE + "/issues/1/labels"))
                    .willReturn(json(422, text("error-422-validation.json"))));

            ForgeException e = refusal(() -> forge.addLabels(TENANT, "app", 1, List.of("foo")));

            assertThat(e.status()).isEqualTo(422);
            assertThat(e.getMessage()).contains("Validation Failed").contains("field 'color' invalid (Label)");
        }
    }

    @Nested
    class Checks {
        @Test
        void checkRunsAndWorkflowRunsOfABranchNewestFirst() {
            wiremock.stubFor(get(urlPathEqualTo(BASE + "/commits/feature%2Flogin/check-runs"))
                    .willReturn(json(200, text("checks-list-for-ref.json"))));
            wiremock.stubFor(get(urlPathEqualTo(BASE + "/actions/runs"))
                    .withQueryParam("branch", equalTo("feature/login"))
                    .willReturn(json(200, text("actions-runs-list.json"))));

            List<Check> checks = forge.checks(TENANT, "app", "feature/login", 10);

            assertThat(checks)
                    .containsExactly(
                            new Check(
                                    "workflow_run:30433642",
                                    "Build",
                                    "workflow_run",
                                    "queued",
                                    Optional.empty(),
                                    "https://github.com/octo-org/octo-repo/actions/runs/30433642",
                                    "Update README.md (run #562, push)",
                                    "acb5820ced9479c074f688cc328bf03f341a511d"),
                            new Check(
                                    "check_run:4",
                                    "mighty_readme",
                                    "check_run",
                                    "completed",
                                    Optional.of("neutral"),
                                    "https://github.com/github/hello-world/runs/4",
                                    "Mighty Readme report: There are 0 failures, 2 warnings, and 1 notice.",
                                    "ce587453ced02b1526dfb4cb910479d431683101"));
            wiremock.verify(getRequestedFor(urlPathEqualTo(BASE + "/commits/feature%2Flogin/check-runs"))
                    .withQueryParam("per_page", equalTo("10")));
        }

        @Test
        void aCommitIdAsksForTheWorkflowRunsOfThatHeadAndTheLimitCuts() {
            String sha = "ce587453ced02b1526dfb4cb910479d431683101";
            wiremock.stubFor(get(urlPathEqualTo(BASE + "/commits/" + sha + "/check-runs"))
                    .willReturn(json(200, text("checks-list-for-ref.json"))));
            wiremock.stubFor(get(urlPathEqualTo(BASE + "/actions/runs"))
                    .withQueryParam("head_sha", equalTo(sha))
                    .willReturn(json(200, text("actions-runs-list.json"))));

            List<Check> checks = forge.checks(TENANT, "app", sha, 1);

            assertThat(checks).extracting(Check::id).containsExactly("workflow_run:30433642");
            wiremock.verify(getRequestedFor(urlPathEqualTo(BASE + "/actions/runs"))
                    .withQueryParam("head_sha", equalTo(sha))
                    .withQueryParam("per_page", equalTo("1")));
        }

        @Test
        void aCheckRunsLogIsItsOutputTail() {
            wiremock.stubFor(
                    get(urlPathEqualTo(BASE + "/check-runs/4")).willReturn(json(200, text("checks-get.json"))));

            CheckLog whole = forge.checkLog(TENANT, "app", "check_run:4", 64 * 1024);
            CheckLog cut = forge.checkLog(TENANT, "app", "check_run:4", 40);

            assertThat(whole.truncated()).isFalse();
            assertThat(whole.text())
                    .contains("mighty_readme: completed / neutral")
                    .contains("Mighty Readme report")
                    .contains("There are 0 failures, 2 warnings, and 1 notice.")
                    .contains("You may have some misspelled words on lines 2 and 4.");
            assertThat(cut.truncated()).isTrue();
            assertThat(cut.text().getBytes(java.nio.charset.StandardCharsets.UTF_8))
                    .hasSizeLessThanOrEqualTo(40);
            assertThat(whole.text()).endsWith(cut.text());
        }

        @Test
        void aWorkflowRunsLogIsTheFailedJobsLogTailWithoutTheTokenThenItsSteps() {
            ObjectNode jobs = object("actions-jobs-list.json");
            ObjectNode job = (ObjectNode) jobs.get("jobs").get(0);
            job.put("conclusion", "failure");
            ((ObjectNode) job.get("steps").get(6)).put("conclusion", "failure");
            wiremock.stubFor(get(urlPathEqualTo(BASE + "/actions/runs/29679449/jobs"))
                    .withQueryParam("filter", equalTo("latest"))
                    .willReturn(json(200, jobs.toString())));
            wiremock.stubFor(get(urlPathEqualTo(BASE + "/actions/jobs/399444496/logs"))
                    .willReturn(aResponse()
                            .withStatus(302)
                            .withHeader("Location", wiremock.baseUrl() + "/signed/jobs/19/signedlogcontent?sig=x")));
            wiremock.stubFor(get(urlPathEqualTo("/signed/jobs/19/signedlogcontent"))
                    .willReturn(aResponse()
                            .withStatus(200)
                            .withHeader("Content-Type", "text/plain")
                            .withBody(raw("actions-job-log.txt"))));

            CheckLog log = forge.checkLog(TENANT, "app", "workflow_run:29679449", 2048);

            assertThat(log.truncated()).isTrue();
            assertThat(log.text().getBytes(java.nio.charset.StandardCharsets.UTF_8))
                    .hasSizeLessThanOrEqualTo(2048);
            assertThat(log.text())
                    .contains("--- the log of job 'build' (399444496) ---")
                    .contains("Expected: \"Hello, world\"")
                    .contains("##[error]Process completed with exit code 1.")
                    .doesNotContain("test 001: ok")
                    .contains("job build: completed / failure")
                    .contains("  7. Run Tests: failure")
                    .endsWith("  17. Complete job: success\n");
            wiremock.verify(getRequestedFor(urlPathEqualTo("/signed/jobs/19/signedlogcontent"))
                    .withHeader("Authorization", absent()));
            wiremock.verify(getRequestedFor(urlPathEqualTo(BASE + "/actions/jobs/399444496/logs"))
                    .withHeader("Authorization", equalTo("Bearer " + TOKEN)));
        }

        @Test
        void anExpiredJobLogLeavesTheStepsAndSaysSo() {
            ObjectNode jobs = object("actions-jobs-list.json");
            ((ObjectNode) jobs.get("jobs").get(0)).put("conclusion", "failure");
            wiremock.stubFor(
                    get(urlPathEqualTo(BASE + "/actions/runs/29679449/jobs")).willReturn(json(200, jobs.toString())));
            wiremock.stubFor(get(urlPathEqualTo(BASE + "/actions/jobs/399444496/logs"))
                    .willReturn(json(
                            410, "{\"message\":\"Gone\",\"documentation_url\":\"https://docs.github.com/rest\"}")));

            CheckLog log = forge.checkLog(TENANT, "app", "workflow_run:29679449", 64 * 1024);

            assertThat(log.text())
                    .contains("(log unavailable: not found on GitHub: the log of job 'build'")
                    .contains("  7. Run Tests: success");
        }

        @Test
        void anUnknownCheckIdIs404WithoutACall() {
            ForgeException e = refusal(() -> forge.checkLog(TENANT, "app", "devloop/check-7", 100));

            assertThat(e.status()).isEqualTo(404);
            assertThat(wiremock.getAllServeEvents()).isEmpty();
        }
    }

    @Nested
    class Pagination {
        void threeReviewPages() {
            for (int page = 1; page <= 3; page++) {
                ArrayNode reviews = array("pulls-reviews-list.json");
                ((ObjectNode) reviews.get(0)).put("id", 79 + page).put("body", "review " + page);
                ResponseDefinitionBuilder answer = json(200, reviews.toString());
                if (page < 3) {
                    // GitHub's next links point at /repositories/<id>/..., as in @octokit/fixtures' paginate-issues
                    answer.withHeader(
                            "Link",
                            "<" + wiremock.baseUrl() + "/repositories/1000/pulls/12/reviews?per_page=1&page="
                                    + (page + 1) + ">; rel=\"next\", <" + wiremock.baseUrl()
                                    + "/repositories/1000/pulls/12/reviews?per_page=1&page=3>; rel=\"last\"");
                }
                if (page == 1) {
                    wiremock.stubFor(
                            get(urlPathEqualTo(BASE + "/pulls/12/reviews")).willReturn(answer));
                } else {
                    wiremock.stubFor(get(urlPathEqualTo("/repositories/1000/pulls/12/reviews"))
                            .withQueryParam("page", equalTo(Integer.toString(page)))
                            .willReturn(answer));
                }
            }
        }

        @Test
        void followsNextLinksOverThreePages() {
            threeReviewPages();

            List<Review> reviews = forge.reviews(TENANT, "app", 12);

            assertThat(reviews).extracting(Review::id).containsExactly(80L, 81L, 82L);
            assertThat(reviews).extracting(Review::body).containsExactly("review 1", "review 2", "review 3");
            wiremock.verify(
                    2,
                    getRequestedFor(urlPathEqualTo("/repositories/1000/pulls/12/reviews"))
                            .withHeader("Authorization", equalTo("Bearer " + TOKEN)));
        }

        @Test
        void stopsAtMaxPages() {
            threeReviewPages();
            try (GitHubForge twoPages = forge(settings(Optional.of(TOKEN), Duration.ofSeconds(5), 2, 1, 256 * 1024))) {

                assertThat(twoPages.reviews(TENANT, "app", 12))
                        .extracting(Review::id)
                        .containsExactly(80L, 81L);
            }
            wiremock.verify(
                    0,
                    getRequestedFor(urlPathEqualTo("/repositories/1000/pulls/12/reviews"))
                            .withQueryParam("page", equalTo("3")));
            wiremock.verify(getRequestedFor(urlPathEqualTo(BASE + "/pulls/12/reviews"))
                    .withQueryParam("per_page", equalTo("1")));
        }

        @Test
        void aNextLinkToAnotherOriginIsNotFollowedAndGetsNoToken() {
            wiremock.stubFor(get(urlPathEqualTo(BASE + "/pulls/12/reviews"))
                    .willReturn(json(200, text("pulls-reviews-list.json"))
                            .withHeader("Link", "<https://elsewhere.invalid/steal?page=2>; rel=\"next\"")));

            ForgeException e = refusal(() -> forge.reviews(TENANT, "app", 12));

            assertThat(e.status()).isEqualTo(502);
            assertThat(e.getMessage()).contains("not followed");
        }
    }

    @Nested
    class ETags {
        void stubConditionalPull() {
            wiremock.stubFor(get(urlPathEqualTo(BASE + "/pulls/1347"))
                    .atPriority(1)
                    .withHeader("If-None-Match", equalTo("\"etag-1347\""))
                    .willReturn(aResponse().withStatus(304).withHeader("ETag", "\"etag-1347\"")));
            wiremock.stubFor(get(urlPathEqualTo(BASE + "/pulls/1347"))
                    .atPriority(5)
                    .willReturn(json(200, text("pulls-get.json")).withHeader("ETag", "\"etag-1347\"")));
        }

        @Test
        void aSecondReadSendsIfNoneMatchAndA304IsServedFromTheCache() {
            stubConditionalPull();

            PullRequest first = forge.pullRequest(TENANT, "app", 1347);
            PullRequest second = forge.pullRequest(TENANT, "app", 1347);

            assertThat(second).isEqualTo(first);
            wiremock.verify(2, getRequestedFor(urlPathEqualTo(BASE + "/pulls/1347")));
            wiremock.verify(
                    1,
                    getRequestedFor(urlPathEqualTo(BASE + "/pulls/1347"))
                            .withHeader("If-None-Match", equalTo("\"etag-1347\"")));
            assertThat(wiremock.getAllServeEvents())
                    .extracting(event -> event.getResponse().getStatus())
                    .containsExactlyInAnyOrder(200, 304);
        }

        @Test
        void tenantsDoNotShareCachedAnswers() {
            stubConditionalPull();

            forge.pullRequest(TENANT, "app", 1347);
            forge.pullRequest("other-tenant", "app", 1347);

            wiremock.verify(
                    2, getRequestedFor(urlPathEqualTo(BASE + "/pulls/1347")).withHeader("If-None-Match", absent()));
        }

        @Test
        void aCachedPageKeepsItsNextLink() {
            ArrayNode page2 = array("pulls-reviews-list.json");
            ((ObjectNode) page2.get(0)).put("id", 81);
            wiremock.stubFor(get(urlPathEqualTo(BASE + "/pulls/12/reviews"))
                    .atPriority(1)
                    .withHeader("If-None-Match", equalTo("\"p1\""))
                    .willReturn(aResponse().withStatus(304)));
            wiremock.stubFor(get(urlPathEqualTo(BASE + "/pulls/12/reviews"))
                    .atPriority(5)
                    .willReturn(json(200, text("pulls-reviews-list.json"))
                            .withHeader("ETag", "\"p1\"")
                            .withHeader(
                                    "Link",
                                    "<" + wiremock.baseUrl()
                                            + "/repositories/1000/pulls/12/reviews?page=2>; rel=\"next\"")));
            wiremock.stubFor(
                    get(urlPathEqualTo("/repositories/1000/pulls/12/reviews")).willReturn(json(200, page2.toString())));

            forge.reviews(TENANT, "app", 12);
            List<Review> again = forge.reviews(TENANT, "app", 12);

            assertThat(again).extracting(Review::id).containsExactly(80L, 81L);
            wiremock.verify(2, getRequestedFor(urlPathEqualTo("/repositories/1000/pulls/12/reviews")));
        }
    }

    @Nested
    class Errors {
        @Test
        void badCredentialsAre502WithoutTheToken() {
            wiremock.stubFor(get(urlPathEqualTo(BASE + "/pulls/1"))
                    .willReturn(json(401, text("error-401-bad-credentials.json"))));

            ForgeException e = refusal(() -> forge.pullRequest(TENANT, "app", 1));

            assertThat(e.status()).isEqualTo(502);
            assertThat(e.getMessage()).contains("forge credentials rejected").contains("Bad credentials");
            assertThat(e.retryAfterSeconds()).isEmpty();
        }

        @Test
        void aSecondaryRateLimitIs429WithRetryAfterAndGitHubIsNotCalledUntilThen() {
            wiremock.stubFor(post(urlPathEqualTo(BASE + "/issues"))
                    .willReturn(json(403, text("error-403-secondary-rate-limit.json"))
                            .withHeader("Retry-After", "30")));

            ForgeException first = refusal(() -> forge.createIssue(TENANT, "app", "t", "b", List.of()));
            clock.advance(Duration.ofSeconds(10));
            ForgeException second = refusal(() -> forge.pullRequest(TENANT, "app", 1));

            assertThat(first.status()).isEqualTo(429);
            assertThat(first.retryAfterSeconds()).contains(30L);
            assertThat(first.getMessage()).contains("secondary rate limit");
            assertThat(second.status()).isEqualTo(429);
            assertThat(second.retryAfterSeconds()).contains(20L);
            assertThat(wiremock.getAllServeEvents()).hasSize(1);

            clock.advance(Duration.ofSeconds(21));
            wiremock.stubFor(get(urlPathEqualTo(BASE + "/pulls/1")).willReturn(json(200, text("pulls-get.json"))));
            assertThat(forge.pullRequest(TENANT, "app", 1).number()).isEqualTo(1347);
        }

        @Test
        void aSecondaryRateLimitWithoutRetryAfterWaitsAMinute() {
            wiremock.stubFor(get(urlPathEqualTo(BASE + "/pulls/1"))
                    .willReturn(aResponse()
                            .withStatus(403)
                            .withHeader("Content-Type", "application/json; charset=utf-8")
                            .withBody(text("error-403-secondary-rate-limit.json"))));

            ForgeException e = refusal(() -> forge.pullRequest(TENANT, "app", 1));

            assertThat(e.status()).isEqualTo(429);
            assertThat(e.retryAfterSeconds()).contains(60L);
        }

        @Test
        void thePrimaryRateLimitIs429UntilTheReset() {
            wiremock.stubFor(get(urlPathEqualTo(BASE + "/pulls/1"))
                    .willReturn(aResponse()
                            .withStatus(403)
                            .withHeader("Content-Type", "application/json; charset=utf-8")
                            .withHeader("x-ratelimit-limit", "5000")
                            .withHeader("x-ratelimit-remaining", "0")
                            .withHeader("x-ratelimit-used", "5000")
                            .withHeader("x-ratelimit-resource", "core")
                            .withHeader("x-ratelimit-reset", Long.toString(NOW.getEpochSecond() + 120))
                            .withBody(text("error-403-primary-rate-limit.json"))));

            ForgeException e = refusal(() -> forge.pullRequest(TENANT, "app", 1));

            assertThat(e.status()).isEqualTo(429);
            assertThat(e.retryAfterSeconds()).contains(120L);
            assertThat(e.getMessage()).contains("rate limit exhausted");
        }

        @Test
        void aTooManyRequestsAnswerIs429() {
            wiremock.stubFor(get(urlPathEqualTo(BASE + "/pulls/1"))
                    .willReturn(aResponse().withStatus(429).withHeader("Retry-After", "7")));

            ForgeException e = refusal(() -> forge.pullRequest(TENANT, "app", 1));

            assertThat(e.status()).isEqualTo(429);
            assertThat(e.retryAfterSeconds()).contains(7L);
        }

        @Test
        void theLastAllowedCallSucceedsAndTheNextIsRefusedLocallyUntilTheReset() {
            wiremock.stubFor(get(urlPathEqualTo(BASE + "/pulls/1347"))
                    .willReturn(aResponse()
                            .withStatus(200)
                            .withHeader("Content-Type", "application/json; charset=utf-8")
                            .withHeader("x-ratelimit-remaining", "0")
                            .withHeader("x-ratelimit-reset", Long.toString(NOW.getEpochSecond() + 45))
                            .withBody(text("pulls-get.json"))));

            assertThat(forge.pullRequest(TENANT, "app", 1347).number()).isEqualTo(1347);
            ForgeException e = refusal(() -> forge.pullRequest(TENANT, "app", 1347));

            assertThat(e.status()).isEqualTo(429);
            assertThat(e.retryAfterSeconds()).contains(45L);
            wiremock.verify(1, getRequestedFor(urlPathEqualTo(BASE + "/pulls/1347")));
        }

        @Test
        void aPermissionRefusalIs403() {
            wiremock.stubFor(
                    post(urlPathEqualTo(BASE + "/pulls")).willReturn(json(403, text("error-403-forbidden.json"))));

            ForgeException e = refusal(() ->
                    forge.openPullRequest(TENANT, "app", new NewPullRequest("t", "b", "new-topic", "master", false)));

            assertThat(e.status()).isEqualTo(403);
            assertThat(e.getMessage()).contains("Resource not accessible by personal access token");
            assertThat(e.retryAfterSeconds()).isEmpty();
        }

        @Test
        void anUnknownPullRequestIs404() {
            wiremock.stubFor(
                    get(urlPathEqualTo(BASE + "/pulls/99")).willReturn(json(404, text("error-404-not-found.json"))));

            ForgeException e = refusal(() -> forge.pullRequest(TENANT, "app", 99));

            assertThat(e.status()).isEqualTo(404);
            assertThat(e.getMessage()).isEqualTo("not found on GitHub: pull request #99 in repository 'app'");
        }

        @Test
        void serverErrorsAre502() {
            wiremock.stubFor(
                    get(urlPathEqualTo(BASE + "/pulls/1")).willReturn(json(503, text("error-503-unavailable.json"))));
            wiremock.stubFor(get(urlPathEqualTo(BASE + "/pulls/2"))
                    .willReturn(aResponse()
                            .withStatus(500)
                            .withHeader("Content-Type", "text/html")
                            .withBody("<html>Unicorn!</html>")));

            ForgeException unavailable = refusal(() -> forge.pullRequest(TENANT, "app", 1));
            ForgeException internal = refusal(() -> forge.pullRequest(TENANT, "app", 2));

            assertThat(unavailable.status()).isEqualTo(502);
            assertThat(unavailable.getMessage()).contains("503").contains("Service Unavailable");
            assertThat(internal.status()).isEqualTo(502);
            assertThat(internal.getMessage()).contains("500");
        }

        @Test
        void aSlowAnswerIs502AfterTheTimeout() {
            wiremock.stubFor(get(urlPathEqualTo(BASE + "/pulls/1"))
                    .willReturn(json(200, text("pulls-get.json")).withFixedDelay(3000)));
            try (GitHubForge impatient =
                    forge(settings(Optional.of(TOKEN), Duration.ofMillis(300), 10, 100, 256 * 1024))) {

                ForgeException e = refusal(() -> impatient.pullRequest(TENANT, "app", 1));

                assertThat(e.status()).isEqualTo(502);
                assertThat(e.getMessage()).contains("did not answer").contains("300 ms");
            }
        }

        @Test
        void anOversizedAnswerIsRefused() {
            wiremock.stubFor(get(urlPathEqualTo(BASE + "/pulls/1")).willReturn(json(200, text("pulls-get.json"))));
            try (GitHubForge small = forge(settings(Optional.of(TOKEN), Duration.ofSeconds(5), 10, 100, 4096))) {

                ForgeException e = refusal(() -> small.pullRequest(TENANT, "app", 1));

                assertThat(e.status()).isEqualTo(502);
                assertThat(e.getMessage()).contains("over 4096 bytes");
            }
        }

        @Test
        void anUnconfiguredRepositoryIs404WithoutACall() {
            ForgeException e = refusal(() -> forge.pullRequest(TENANT, "other", 1));

            assertThat(e.status()).isEqualTo(404);
            assertThat(e.getMessage()).contains("'other' is not configured for GitHub");
            assertThat(wiremock.getAllServeEvents()).isEmpty();
        }

        @Test
        void anUnreachableGitHubIs502() {
            GitHubForgeSettings nowhere = new GitHubForgeSettings(
                    URI.create("http://127.0.0.1:1"),
                    Optional.of(TOKEN),
                    Map.of("app", new GitHubForgeSettings.Repo(OWNER, REPO)),
                    Duration.ofSeconds(2),
                    10,
                    100,
                    10,
                    1024,
                    4096,
                    4096);
            try (GitHubForge down = forge(nowhere)) {

                ForgeException e = refusal(() -> down.pullRequest(TENANT, "app", 1));

                assertThat(e.status()).isEqualTo(502);
                assertThat(e.getMessage()).contains("could not be reached");
            }
        }
    }

    @Test
    void theTokenIsInNoStringForm() {
        assertThat(forge.toString()).doesNotContain(TOKEN).contains("token=***");
        assertThat(settings(Optional.of(TOKEN), Duration.ofSeconds(1), 1, 1, 4096)
                        .toString())
                .doesNotContain(TOKEN);
        assertThat(forge.kind()).isEqualTo("github");
        assertThat(forge.repositories()).containsExactly("app");
    }

    @Test
    void callsFromAnEventLoopAreRefusedRatherThanBlockingIt() throws Exception {
        var failure = new java.util.concurrent.CompletableFuture<Throwable>();
        vertx.runOnContext(v -> {
            try {
                forge.pullRequest(TENANT, "app", 1);
                failure.complete(null);
            } catch (Throwable t) {
                failure.complete(t);
            }
        });

        assertThat(failure.get(5, java.util.concurrent.TimeUnit.SECONDS))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("worker thread");
        assertThat(wiremock.getAllServeEvents()).isEmpty();
    }

    @Test
    void invalidArgumentsAreRefusedBeforeAnyCall() {
        assertThatThrownBy(() -> forge.review(TENANT, "app", 1, "DISMISS", "x"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> forge.merge(TENANT, "app", 1, "octopus", Optional.empty()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> forge.pullRequest(TENANT, "app", 0)).isInstanceOf(IllegalArgumentException.class);
        assertThat(wiremock.getAllServeEvents()).isEmpty();
    }
}
