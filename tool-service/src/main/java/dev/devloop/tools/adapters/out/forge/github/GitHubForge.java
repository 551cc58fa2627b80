package dev.devloop.tools.adapters.out.forge.github;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.devloop.tools.ports.out.ForgePort;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The GitHub adapter of the forge port (kind {@code github}), over REST v3 (docs/delivery.md, "The forge port").
 * The repositories are the operator's ({@link GitHubForgeSettings#repositories()}); the tenant only scopes the
 * ETag cache. Check ids are {@code check_run:<id>} (a check run) and {@code workflow_run:<id>} (an Actions run).
 *
 * <p>A check run's log is its output (title, summary, text). A workflow run's log is its jobs with their steps and
 * conclusions, followed by the tail of each failed job's log: {@code GET /actions/jobs/{id}/logs} redirects to a
 * signed plain-text URL, which is read without the token, at most {@code maxLogReadBytes}, keeping only the tail.
 */
public final class GitHubForge implements ForgePort, AutoCloseable {
    public static final String KIND = "github";
    static final String CHECK_RUN = "check_run";
    static final String WORKFLOW_RUN = "workflow_run";
    private static final Pattern SHA = Pattern.compile("[0-9a-fA-F]{40}");
    private static final Pattern CHECK_ID = Pattern.compile("(check_run|workflow_run):([0-9]{1,19})");
    private static final int MAX_SUMMARY_CHARS = 1000;
    private static final int MAX_FAILED_JOB_LOGS = 3;
    private static final int LOG_HEADER_BYTES = 256;
    private static final Set<String> REVIEW_EVENTS = Set.of("APPROVE", "REQUEST_CHANGES", "COMMENT");
    private static final Set<String> MERGE_METHODS = Set.of("merge", "squash", "rebase");

    private final GitHubForgeSettings settings;
    private final GitHubHttp http;

    /**
     * @param vertx the application's Vert.x (one pooled HTTP client is created on it for this adapter; {@link
     *     #close()} closes it)
     * @param clock the rate-limit arithmetic's clock
     */
    public GitHubForge(GitHubForgeSettings settings, Vertx vertx, Clock clock) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.http = new GitHubHttp(settings, Objects.requireNonNull(vertx, "vertx"), Objects.requireNonNull(clock));
    }

    @Override
    public String kind() {
        return KIND;
    }

    /** The configured repositories this adapter serves. */
    public Set<String> repositories() {
        return settings.repositories().keySet();
    }

    // ---- pull requests ----

    @Override
    public PullRequest openPullRequest(String tenant, String repository, NewPullRequest request) {
        GitHubForgeSettings.Repo repo = repo(tenant, repository);
        ObjectNode body = http.json()
                .createObjectNode()
                .put("title", request.title())
                .put("head", request.head())
                .put("base", request.base())
                .put("body", request.body())
                .put("draft", request.draft());
        JsonNode created = http.send(
                HttpMethod.POST,
                http.api("repos", repo.owner(), repo.repo(), "pulls"),
                body,
                "a new pull request from '" + request.head() + "' in repository '" + repository + "'");
        return pullRequest(created);
    }

    @Override
    public PullRequest pullRequest(String tenant, String repository, int number) {
        GitHubForgeSettings.Repo repo = repo(tenant, repository);
        requirePositive(number);
        return pullRequest(http.get(
                        tenant,
                        http.api("repos", repo.owner(), repo.repo(), "pulls", str(number)),
                        pr(repository, number))
                .json());
    }

    @Override
    public Optional<PullRequest> openPullRequestFor(String tenant, String repository, String branch) {
        GitHubForgeSettings.Repo repo = repo(tenant, repository);
        URI uri = GitHubHttp.withQuery(
                http.api("repos", repo.owner(), repo.repo(), "pulls"),
                "head",
                repo.owner() + ":" + branch,
                "state",
                "open",
                "per_page",
                "1");
        JsonNode list = http.get(
                        tenant,
                        uri,
                        "the open pull request of branch '" + branch + "' in repository '" + repository + "'")
                .json();
        if (!list.isArray() || list.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(pullRequest(list.get(0)));
    }

    @Override
    public List<Review> reviews(String tenant, String repository, int number) {
        GitHubForgeSettings.Repo repo = repo(tenant, repository);
        requirePositive(number);
        URI uri = GitHubHttp.withQuery(
                http.api("repos", repo.owner(), repo.repo(), "pulls", str(number), "reviews"),
                "per_page",
                str(settings.perPage()));
        List<Review> reviews = new ArrayList<>();
        for (JsonNode item : pages(tenant, uri, null, Integer.MAX_VALUE, "the reviews of " + pr(repository, number))) {
            reviews.add(review(item));
        }
        return List.copyOf(reviews);
    }

    @Override
    public Review review(String tenant, String repository, int number, String event, String body) {
        GitHubForgeSettings.Repo repo = repo(tenant, repository);
        requirePositive(number);
        if (event == null || !REVIEW_EVENTS.contains(event)) {
            throw new IllegalArgumentException("review event must be one of " + REVIEW_EVENTS + ": " + event);
        }
        ObjectNode payload = http.json().createObjectNode().put("event", event);
        if (body != null && !body.isEmpty()) {
            payload.put("body", body);
        }
        return review(http.send(
                HttpMethod.POST,
                http.api("repos", repo.owner(), repo.repo(), "pulls", str(number), "reviews"),
                payload,
                "a review of " + pr(repository, number)));
    }

    @Override
    public Merged merge(String tenant, String repository, int number, String method, Optional<String> expectedHeadSha) {
        GitHubForgeSettings.Repo repo = repo(tenant, repository);
        requirePositive(number);
        String mergeMethod = method == null ? "merge" : method;
        if (!MERGE_METHODS.contains(mergeMethod)) {
            throw new IllegalArgumentException("merge method must be one of " + MERGE_METHODS + ": " + method);
        }
        ObjectNode payload = http.json().createObjectNode().put("merge_method", mergeMethod);
        expectedHeadSha.ifPresent(sha -> payload.put("sha", sha));
        JsonNode merged = http.send(
                HttpMethod.PUT,
                http.api("repos", repo.owner(), repo.repo(), "pulls", str(number), "merge"),
                payload,
                "the merge of " + pr(repository, number));
        return new Merged(
                merged.path("merged").asBoolean(false),
                merged.path("sha").asText(""),
                merged.path("message").asText(""));
    }

    // ---- issues ----

    @Override
    public Issue createIssue(String tenant, String repository, String title, String body, List<String> labels) {
        GitHubForgeSettings.Repo repo = repo(tenant, repository);
        ObjectNode payload = http.json().createObjectNode().put("title", title).put("body", body);
        ArrayNode names = payload.putArray("labels");
        (labels == null ? List.<String>of() : labels).forEach(names::add);
        return issue(http.send(
                HttpMethod.POST,
                http.api("repos", repo.owner(), repo.repo(), "issues"),
                payload,
                "a new issue in repository '" + repository + "'"));
    }

    @Override
    public Issue addLabels(String tenant, String repository, int number, List<String> labels) {
        GitHubForgeSettings.Repo repo = repo(tenant, repository);
        requirePositive(number);
        ObjectNode payload = http.json().createObjectNode();
        ArrayNode names = payload.putArray("labels");
        (labels == null ? List.<String>of() : labels).forEach(names::add);
        URI issueUri = http.api("repos", repo.owner(), repo.repo(), "issues", str(number));
        http.send(
                HttpMethod.POST,
                http.api("repos", repo.owner(), repo.repo(), "issues", str(number), "labels"),
                payload,
                issue(repository, number));
        // the labels answer lists the labels only; the issue itself (number, state, title, url) is read back
        return issue(http.get(tenant, issueUri, issue(repository, number)).json());
    }

    @Override
    public Issue closeIssue(String tenant, String repository, int number) {
        GitHubForgeSettings.Repo repo = repo(tenant, repository);
        requirePositive(number);
        ObjectNode payload =
                http.json().createObjectNode().put("state", "closed").put("state_reason", "completed");
        return issue(http.send(
                HttpMethod.PATCH,
                http.api("repos", repo.owner(), repo.repo(), "issues", str(number)),
                payload,
                issue(repository, number)));
    }

    // ---- checks ----

    @Override
    public List<Check> checks(String tenant, String repository, String ref, int limit) {
        GitHubForgeSettings.Repo repo = repo(tenant, repository);
        if (ref == null || ref.isBlank()) {
            throw new IllegalArgumentException("ref is required");
        }
        if (limit < 1) {
            return List.of();
        }
        String perPage = str(Math.min(settings.perPage(), limit));
        URI checkRuns = GitHubHttp.withQuery(
                http.api("repos", repo.owner(), repo.repo(), "commits", ref, "check-runs"), "per_page", perPage);
        URI workflowRuns = GitHubHttp.withQuery(
                http.api("repos", repo.owner(), repo.repo(), "actions", "runs"),
                SHA.matcher(ref).matches() ? "head_sha" : "branch",
                ref,
                "per_page",
                perPage);
        List<JsonNode> runs = new ArrayList<>();
        List<Check> checks = new ArrayList<>();
        for (JsonNode run : pages(
                tenant,
                checkRuns,
                "check_runs",
                limit,
                "the check runs of '" + ref + "' in repository '" + repository + "'")) {
            runs.add(run);
            checks.add(checkRun(run));
        }
        for (JsonNode run : pages(
                tenant,
                workflowRuns,
                "workflow_runs",
                limit,
                "the workflow runs of '" + ref + "' in repository '" + repository + "'")) {
            runs.add(run);
            checks.add(workflowRun(run));
        }
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < checks.size(); i++) {
            order.add(i);
        }
        order.sort(Comparator.comparing((Integer i) -> startedAt(runs.get(i))).reversed());
        List<Check> newestFirst = new ArrayList<>();
        for (int i : order) {
            if (newestFirst.size() == limit) {
                break;
            }
            newestFirst.add(checks.get(i));
        }
        return List.copyOf(newestFirst);
    }

    @Override
    public CheckLog checkLog(String tenant, String repository, String checkId, int maxBytes) {
        GitHubForgeSettings.Repo repo = repo(tenant, repository);
        var matcher = CHECK_ID.matcher(checkId == null ? "" : checkId);
        if (!matcher.matches()) {
            throw new ForgeException(
                    404,
                    "no such check: '" + GitHubErrors.bounded(String.valueOf(checkId))
                            + "' (GitHub check ids look like check_run:<id> or workflow_run:<id>)");
        }
        int bound = (int) Math.max(1, Math.min(maxBytes, settings.maxLogReadBytes()));
        String id = matcher.group(2);
        if (matcher.group(1).equals(CHECK_RUN)) {
            JsonNode run = http.get(
                            tenant,
                            http.api("repos", repo.owner(), repo.repo(), "check-runs", id),
                            "check run " + id + " in repository '" + repository + "'")
                    .json();
            StringBuilder text = new StringBuilder();
            JsonNode output = run.path("output");
            String conclusion = run.path("conclusion").isTextual()
                    ? " / " + run.path("conclusion").asText()
                    : "";
            appendLine(
                    text,
                    run.path("name").asText("") + ": " + run.path("status").asText("") + conclusion);
            for (String field : List.of("title", "summary", "text")) {
                if (output.path(field).isTextual()
                        && !output.path(field).asText().isBlank()) {
                    appendLine(text, "")
                            .append(output.path(field).asText().strip())
                            .append('\n');
                }
            }
            return tail(checkId, text.toString(), bound, false);
        }
        return workflowRunLog(tenant, repository, repo, checkId, id, bound);
    }

    private CheckLog workflowRunLog(
            String tenant, String repository, GitHubForgeSettings.Repo repo, String checkId, String runId, int bound) {
        URI jobsUri = GitHubHttp.withQuery(
                http.api("repos", repo.owner(), repo.repo(), "actions", "runs", runId, "jobs"),
                "filter",
                "latest",
                "per_page",
                str(settings.perPage()));
        List<JsonNode> jobs = pages(
                tenant,
                jobsUri,
                "jobs",
                Integer.MAX_VALUE,
                "the jobs of workflow run " + runId + " in repository '" + repository + "'");
        StringBuilder summary = new StringBuilder();
        List<JsonNode> failed = new ArrayList<>();
        for (JsonNode job : jobs) {
            String conclusion =
                    job.path("conclusion").isTextual() ? job.path("conclusion").asText() : "";
            appendLine(
                    summary,
                    "job " + job.path("name").asText("?") + ": "
                            + job.path("status").asText("") + (conclusion.isEmpty() ? "" : " / " + conclusion));
            for (JsonNode step : job.path("steps")) {
                String stepConclusion = step.path("conclusion").isTextual()
                        ? step.path("conclusion").asText()
                        : "";
                appendLine(
                        summary,
                        "  " + step.path("number").asText("") + ". "
                                + step.path("name").asText("") + ": "
                                + (stepConclusion.isEmpty()
                                        ? step.path("status").asText("")
                                        : stepConclusion));
            }
            if (Set.of("failure", "timed_out", "startup_failure").contains(conclusion)) {
                failed.add(job);
            }
        }
        if (jobs.isEmpty()) {
            appendLine(summary, "workflow run " + runId + " has no jobs yet");
        }
        // the failed jobs' log tails first, the jobs and steps last: the answer is a tail, so the summary survives
        List<JsonNode> logged = failed.subList(0, Math.min(MAX_FAILED_JOB_LOGS, failed.size()));
        int summaryBytes = summary.toString().getBytes(StandardCharsets.UTF_8).length;
        int perLog = logged.isEmpty() ? 0 : Math.max(256, (bound - summaryBytes) / logged.size() - LOG_HEADER_BYTES);
        StringBuilder text = new StringBuilder();
        boolean truncated = false;
        for (JsonNode job : logged) {
            String jobId = job.path("id").asText("");
            String name = job.path("name").asText("?");
            String what = "the log of job '" + (name.length() <= 100 ? name : name.substring(0, 100) + "…") + "' ("
                    + jobId + ")";
            text.append("--- ").append(what).append(" ---\n");
            try {
                URI signed = http.redirect(
                        http.api("repos", repo.owner(), repo.repo(), "actions", "jobs", jobId, "logs"), what);
                GitHubHttp.Tail tail = http.tail(signed, perLog, what);
                truncated |= tail.truncated();
                appendLine(text, utf8Tail(tail.bytes()).stripTrailing());
            } catch (ForgeException e) {
                if (e.status() == 429) {
                    throw e;
                }
                appendLine(text, "(log unavailable: " + e.getMessage() + ")");
            }
        }
        text.append(summary);
        return tail(checkId, text.toString(), bound, truncated);
    }

    // ---- mapping ----

    private PullRequest pullRequest(JsonNode pr) {
        // the full object has "merged"; a list item only "merged_at" (set exactly when merged); an open PR never is
        boolean closed = pr.path("state").asText("open").equals("closed");
        boolean merged = closed && (pr.has("merged") ? pr.path("merged").asBoolean(false) : pr.hasNonNull("merged_at"));
        String state = merged ? "merged" : pr.path("state").asText("open");
        Optional<String> mergeCommit = merged && pr.hasNonNull("merge_commit_sha")
                ? Optional.of(pr.path("merge_commit_sha").asText())
                : Optional.empty();
        return new PullRequest(
                pr.path("number").asInt(),
                pr.path("html_url").asText(""),
                state,
                pr.path("title").asText(""),
                pr.path("body").isNull() ? "" : pr.path("body").asText(""),
                pr.path("head").path("ref").asText(""),
                pr.path("base").path("ref").asText(""),
                pr.path("head").path("sha").asText(""),
                mergeCommit);
    }

    private static Review review(JsonNode review) {
        return new Review(
                review.path("id").asLong(),
                review.path("state").asText(""),
                review.path("body").isNull() ? "" : review.path("body").asText(""),
                review.path("user").path("login").asText(""));
    }

    private static Issue issue(JsonNode issue) {
        List<String> labels = new ArrayList<>();
        for (JsonNode label : issue.path("labels")) {
            labels.add(label.isTextual() ? label.asText() : label.path("name").asText(""));
        }
        return new Issue(
                issue.path("number").asInt(),
                issue.path("html_url").asText(""),
                issue.path("state").asText("open"),
                issue.path("title").asText(""),
                List.copyOf(labels));
    }

    private static Check checkRun(JsonNode run) {
        JsonNode output = run.path("output");
        String summary = join(output.path("title"), output.path("summary"));
        return new Check(
                CHECK_RUN + ":" + run.path("id").asText(),
                run.path("name").asText(""),
                CHECK_RUN,
                status(run.path("status").asText("")),
                conclusion(run.path("conclusion")),
                run.path("html_url").asText(""),
                summary,
                run.path("head_sha").asText(""));
    }

    private static Check workflowRun(JsonNode run) {
        String summary = GitHubErrors.bounded(run.path("display_title").asText("") + " (run #"
                + run.path("run_number").asText("?") + ", " + run.path("event").asText("?") + ")");
        return new Check(
                WORKFLOW_RUN + ":" + run.path("id").asText(),
                run.path("name").asText(""),
                WORKFLOW_RUN,
                status(run.path("status").asText("")),
                conclusion(run.path("conclusion")),
                run.path("html_url").asText(""),
                summary,
                run.path("head_sha").asText(""));
    }

    /** GitHub's run states → {@code queued}, {@code in_progress} or {@code completed}. */
    private static String status(String status) {
        return switch (status) {
            case "completed", "in_progress" -> status;
            default -> "queued"; // queued, waiting, requested, pending
        };
    }

    private static Optional<String> conclusion(JsonNode conclusion) {
        if (conclusion.isNull()
                || !conclusion.isTextual()
                || conclusion.asText().isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(
                switch (conclusion.asText()) {
                    case "startup_failure" -> "failure";
                    case "stale" -> "cancelled";
                    default -> conclusion.asText();
                });
    }

    private static String startedAt(JsonNode run) {
        for (String field : List.of("started_at", "run_started_at", "created_at")) {
            if (run.hasNonNull(field)) {
                return run.path(field).asText(); // ISO-8601 UTC: sorts as text
            }
        }
        return "";
    }

    private static String join(JsonNode title, JsonNode summary) {
        String a = title.isTextual() ? title.asText().strip() : "";
        String b = summary.isTextual() ? summary.asText().strip() : "";
        String joined = a.isEmpty() ? b : b.isEmpty() ? a : a + ": " + b;
        return joined.length() <= MAX_SUMMARY_CHARS ? joined : joined.substring(0, MAX_SUMMARY_CHARS) + "…";
    }

    // ---- helpers ----

    /** Items of up to {@code maxPages} pages: the array itself, or its {@code field}, until {@code limit} items. */
    private List<JsonNode> pages(String tenant, URI first, String field, int limit, String what) {
        List<JsonNode> items = new ArrayList<>();
        Optional<URI> next = Optional.of(first);
        for (int page = 0; page < settings.maxPages() && next.isPresent() && items.size() < limit; page++) {
            GitHubHttp.Page answer = http.get(tenant, next.get(), what);
            JsonNode list = field == null ? answer.json() : answer.json().path(field);
            for (JsonNode item : list) {
                if (items.size() == limit) {
                    break;
                }
                items.add(item);
            }
            next = answer.next();
        }
        return items;
    }

    private GitHubForgeSettings.Repo repo(String tenant, String repository) {
        Objects.requireNonNull(tenant, "tenant");
        GitHubForgeSettings.Repo repo =
                repository == null ? null : settings.repositories().get(repository);
        if (repo == null) {
            throw new ForgeException(
                    404,
                    "repository '" + GitHubErrors.bounded(String.valueOf(repository))
                            + "' is not configured for GitHub");
        }
        return repo;
    }

    private static void requirePositive(int number) {
        if (number < 1) {
            throw new IllegalArgumentException("number must be positive: " + number);
        }
    }

    private static String str(long value) {
        return Long.toString(value);
    }

    private static String pr(String repository, int number) {
        return "pull request #" + number + " in repository '" + repository + "'";
    }

    private static String issue(String repository, int number) {
        return "issue #" + number + " in repository '" + repository + "'";
    }

    private static StringBuilder appendLine(StringBuilder text, String line) {
        return text.append(line).append('\n');
    }

    private static CheckLog tail(String id, String text, int maxBytes, boolean alreadyTruncated) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        if (bytes.length <= maxBytes) {
            return new CheckLog(id, text, alreadyTruncated);
        }
        byte[] tail = new byte[maxBytes];
        System.arraycopy(bytes, bytes.length - maxBytes, tail, 0, maxBytes);
        return new CheckLog(id, utf8Tail(tail), true);
    }

    /** Decodes a byte tail, dropping a multi-byte character cut at its start. */
    static String utf8Tail(byte[] bytes) {
        int start = 0;
        while (start < bytes.length && start < 3 && (bytes[start] & 0xC0) == 0x80) {
            start++;
        }
        return new String(bytes, start, bytes.length - start, StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        http.close();
    }

    @Override
    public String toString() {
        return "GitHubForge[" + settings + "]";
    }
}
