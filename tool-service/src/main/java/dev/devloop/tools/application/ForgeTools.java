package dev.devloop.tools.application;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.devloop.tools.domain.ToolKind;
import dev.devloop.tools.ports.in.ToolRefusal;
import dev.devloop.tools.ports.out.DownstreamException;
import dev.devloop.tools.ports.out.ForgePort;
import dev.devloop.tools.ports.out.ForgePort.ForgeException;
import dev.devloop.tools.ports.out.ToolMetricsPort;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * The forge tools (docs/delivery.md, "Forge tools"): pull requests, reviews, merges, checks and issues of a
 * configured repository, through the forge adapter that serves it ({@link ForgeRouter}). Arguments are checked
 * here (400 naming the field); a forge's refusal (404, 409 conflict, 422, 429) is a FAILED result the model reads.
 * Also the {@link GitPushListener} of {@code git_push}: a push through the tools is reported to the repository's
 * forge, which for the local forge synchronizes the branch's pull request and starts its checks.
 */
public final class ForgeTools implements GitPushListener {
    public static final String OPEN_PR = "forge_open_pr";
    public static final String GET_PR = "forge_get_pr";
    public static final String REVIEW_PR = "forge_review_pr";
    public static final String MERGE_PR = "forge_merge_pr";
    public static final String CHECKS = "forge_checks";
    public static final String CHECK_LOG = "forge_check_log";
    public static final String CREATE_ISSUE = "forge_create_issue";
    public static final String LABEL_ISSUE = "forge_label_issue";
    public static final String CLOSE_ISSUE = "forge_close_issue";
    public static final String MARKER = "Devloop-Feature: ";
    static final int MAX_WAIT_SECONDS = 120;
    static final int DEFAULT_LOG_BYTES = 16_384;
    static final int MAX_LOG_BYTES = 65_536;
    /** How long before the tool's deadline a wait for checks gives up, so the answer still arrives. */
    static final long DEADLINE_MARGIN_MS = 3_000;

    private static final Pattern SHA = Pattern.compile("[0-9a-fA-F]{40}");
    private static final Pattern CHECK_ID =
            Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:-]{0,63}"); // GitHub: check_run:<id>, workflow_run:<id>
    private static final Pattern LABEL = Pattern.compile("[^\\p{Cntrl},]{1,50}");
    private static final Set<String> EVENTS = Set.of("APPROVE", "REQUEST_CHANGES", "COMMENT");
    private static final Set<String> METHODS = Set.of("merge", "squash", "rebase");
    private static final Set<String> FAILED =
            Set.of("failure", "timed_out", "cancelled", "action_required", "startup_failure", "stale");

    /** Sleeps between two looks at the checks; tests pass a fake. */
    public interface Sleeper {
        void sleep(long millis) throws InterruptedException;
    }

    private final ForgeRouter router;
    private final ForgeSettings settings;
    private final ToolMetricsPort metrics;
    private final Sleeper sleeper;

    public ForgeTools(ForgeRouter router, ForgeSettings settings, ToolMetricsPort metrics) {
        this(router, settings, metrics, Thread::sleep);
    }

    public ForgeTools(ForgeRouter router, ForgeSettings settings, ToolMetricsPort metrics, Sleeper sleeper) {
        this.router = router;
        this.settings = settings;
        this.metrics = metrics;
        this.sleeper = sleeper;
    }

    public List<ToolExecutor> executors() {
        return List.of(
                executor(OPEN_PR, this::openPr),
                executor(GET_PR, this::getPr),
                executor(REVIEW_PR, this::reviewPr),
                executor(MERGE_PR, this::mergePr),
                executor(CHECKS, this::checks),
                executor(CHECK_LOG, this::checkLog),
                executor(CREATE_ISSUE, this::createIssue),
                executor(LABEL_ISSUE, this::labelIssue),
                executor(CLOSE_ISSUE, this::closeIssue));
    }

    // --- pull requests

    private JsonNode openPr(ToolCall call) {
        JsonNode args = call.arguments();
        String repository = repository(args);
        String feature = feature(args, true);
        String title = text(args, "title", settings.maxTitleChars(), true);
        String summary = text(args, "summary", settings.maxBodyBytes(), true);
        String testPlan = text(args, "testPlan", settings.maxBodyBytes(), true);
        List<String> changes = new ArrayList<>();
        JsonNode list = args.path("changes");
        if (!list.isArray() || list.isEmpty()) {
            throw ToolRefusal.invalid("changes", "changes must list at least one change");
        }
        for (JsonNode change : list) {
            String text = change.asText("").strip();
            if (!change.isTextual() || text.isEmpty()) {
                throw ToolRefusal.invalid("changes", "every change must be a non-blank string");
            }
            changes.add(text);
        }
        String base = args.hasNonNull("base")
                ? branch(args.path("base").asText(), "base")
                : settings.defaultBranches().get(repository);
        String body = pullRequestBody(summary, changes, testPlan, feature);
        int bytes = body.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > settings.maxBodyBytes()) {
            throw ToolRefusal.invalid(
                    "summary",
                    "the pull request body would be " + bytes
                            + " bytes; summary, changes and testPlan together may make at most "
                            + settings.maxBodyBytes());
        }
        ForgePort forge = router.forRepository(repository);
        ForgePort.PullRequest pr = forge(() -> forge.openPullRequest(
                call.tenant(),
                repository,
                new ForgePort.NewPullRequest(
                        title,
                        body,
                        "feature/" + feature,
                        base,
                        args.path("draft").asBoolean(false))));
        ObjectNode out = pullRequest(repository, pr);
        out.put("checks", checksNote(repository, pr.headSha()));
        return out;
    }

    /** The generated body: Summary, Changes, Test plan and the feature marker line. */
    public static String pullRequestBody(String summary, List<String> changes, String testPlan, String feature) {
        StringBuilder body =
                new StringBuilder("## Summary\n\n").append(summary.strip()).append("\n\n## Changes\n\n");
        for (String change : changes) {
            body.append("- ").append(change.strip().replace("\n", "\n  ")).append('\n');
        }
        return body.append("\n## Test plan\n\n")
                .append(testPlan.strip())
                .append("\n\n")
                .append(MARKER)
                .append(feature)
                .append('\n')
                .toString();
    }

    private JsonNode getPr(ToolCall call) {
        JsonNode args = call.arguments();
        String repository = repository(args);
        ForgePort forge = router.forRepository(repository);
        ForgePort.PullRequest pr;
        if (args.hasNonNull("number")) {
            int number = number(args, "number");
            pr = forge(() -> forge.pullRequest(call.tenant(), repository, number));
        } else if (args.hasNonNull("featureId")) {
            String branch = "feature/" + feature(args, true);
            pr = forge(() -> forge.openPullRequestFor(call.tenant(), repository, branch))
                    .orElseThrow(() -> new ToolFailure("no open pull request for " + branch + " in " + repository));
        } else {
            throw ToolRefusal.invalid("number", "name the pull request by number or featureId");
        }
        ObjectNode out = pullRequest(repository, pr);
        ArrayNode reviews = out.putArray("reviews");
        forge(() -> forge.reviews(call.tenant(), repository, pr.number())).forEach(r -> reviews.addObject()
                .put("id", r.id())
                .put("state", r.state())
                .put("body", r.body())
                .put("author", r.author()));
        return out;
    }

    private JsonNode reviewPr(ToolCall call) {
        JsonNode args = call.arguments();
        String repository = repository(args);
        int number = number(args, "number");
        String event = args.path("event").asText("");
        if (!EVENTS.contains(event)) {
            throw ToolRefusal.invalid("event", "event must be one of " + EVENTS);
        }
        String body = text(args, "body", settings.maxBodyBytes(), !"APPROVE".equals(event));
        ForgePort forge = router.forRepository(repository);
        ForgePort.Review review = forge(() -> forge.review(call.tenant(), repository, number, event, body));
        return JsonNodeFactory.instance
                .objectNode()
                .put("repository", repository)
                .put("number", number)
                .put("id", review.id())
                .put("state", review.state())
                .put("body", review.body())
                .put("author", review.author());
    }

    private JsonNode mergePr(ToolCall call) {
        JsonNode args = call.arguments();
        String repository = repository(args);
        int number = number(args, "number");
        String method = args.path("method").asText("merge");
        if (!METHODS.contains(method)) {
            throw ToolRefusal.invalid("method", "method must be one of " + METHODS);
        }
        Optional<String> expected = Optional.empty();
        if (args.hasNonNull("expectedHeadSha")) {
            String sha = args.path("expectedHeadSha").asText("");
            if (!SHA.matcher(sha).matches()) {
                throw ToolRefusal.invalid("expectedHeadSha", "expectedHeadSha must be a 40-hex commit id");
            }
            expected = Optional.of(sha);
        }
        Optional<String> head = expected;
        ForgePort forge = router.forRepository(repository);
        ForgePort.Merged merged = forge(() -> forge.merge(call.tenant(), repository, number, method, head));
        return JsonNodeFactory.instance
                .objectNode()
                .put("repository", repository)
                .put("number", number)
                .put("merged", merged.merged())
                .put("sha", merged.sha())
                .put("message", merged.message());
    }

    // --- checks

    private JsonNode checks(ToolCall call) {
        JsonNode args = call.arguments();
        String repository = repository(args);
        String ref;
        if (args.hasNonNull("ref")) {
            ref = args.path("ref").asText("");
            if (!SHA.matcher(ref).matches()) {
                ref = branch(ref, "ref");
            }
        } else if (args.hasNonNull("featureId")) {
            ref = "feature/" + feature(args, true);
        } else {
            throw ToolRefusal.invalid("ref", "name the ref (a branch or commit id) or the featureId");
        }
        int waitSeconds = args.path("waitSeconds").asInt(0);
        if (waitSeconds < 0
                || waitSeconds > MAX_WAIT_SECONDS
                || (args.has("waitSeconds") && !args.path("waitSeconds").isInt())) {
            throw ToolRefusal.invalid(
                    "waitSeconds", "waitSeconds must be a whole number from 0 to " + MAX_WAIT_SECONDS);
        }
        long deadlineMs =
                call.tool() == null ? Long.MAX_VALUE : call.tool().limits().timeoutMs() - DEADLINE_MARGIN_MS;
        long waitMs = Math.max(0, Math.min(TimeUnit.SECONDS.toMillis(waitSeconds), deadlineMs));
        long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(waitMs);
        ForgePort forge = router.forRepository(repository);
        String finalRef = ref;
        boolean local = "local".equals(router.kindOf(repository));
        boolean noChecks = local && !settings.withChecks().contains(repository);
        List<ForgePort.Check> checks;
        while (true) {
            checks = forge(() -> forge.checks(call.tenant(), repository, finalRef, settings.maxChecks()));
            String state = state(checks);
            long left = until - System.nanoTime();
            // the local forge records its checks when a pull request opens or its branch is pushed: none now, none
            // later
            if (!"pending".equals(state) || noChecks || (local && checks.isEmpty()) || left <= 0) {
                break;
            }
            try {
                sleeper.sleep(Math.min(settings.pollMs(), TimeUnit.NANOSECONDS.toMillis(left) + 1));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        ObjectNode out = JsonNodeFactory.instance
                .objectNode()
                .put("repository", repository)
                .put("ref", ref);
        String state = state(checks);
        if (checks.isEmpty() && noChecks) {
            out.put("state", "none")
                    .put(
                            "note",
                            "no check command is configured for repository " + repository
                                    + ": the local forge runs no checks on it");
        } else {
            out.put("state", state);
            if (checks.isEmpty()) {
                out.put(
                        "note",
                        local
                                ? "no check has run on " + ref + ": the local forge checks the heads of open pull "
                                        + "requests (open one with forge_open_pr, or push its branch again)"
                                : "no checks are reported for " + ref + " yet");
            }
        }
        ArrayNode list = out.putArray("checks");
        for (ForgePort.Check c : checks) {
            list.addObject()
                    .put("id", c.id())
                    .put("name", c.name())
                    .put("kind", c.kind())
                    .put("status", c.status())
                    .put("conclusion", c.conclusion().orElse(null))
                    .put("url", c.url())
                    .put("summary", c.summary())
                    .put("headSha", c.headSha());
        }
        return out;
    }

    /** pending while any check is not completed (or none exists), failure when one failed, else success. */
    static String state(List<ForgePort.Check> checks) {
        if (checks.isEmpty() || checks.stream().anyMatch(c -> !"completed".equals(c.status()))) {
            return "pending";
        }
        return checks.stream().anyMatch(c -> FAILED.contains(c.conclusion().orElse(""))) ? "failure" : "success";
    }

    private JsonNode checkLog(ToolCall call) {
        JsonNode args = call.arguments();
        String repository = repository(args);
        int maxBytes = args.path("maxBytes").asInt(DEFAULT_LOG_BYTES);
        if (maxBytes < 1 || maxBytes > MAX_LOG_BYTES) {
            throw ToolRefusal.invalid("maxBytes", "maxBytes must be from 1 to " + MAX_LOG_BYTES);
        }
        ForgePort forge = router.forRepository(repository);
        String id;
        if (args.hasNonNull("checkId") || !args.hasNonNull("featureId")) {
            id = args.path("checkId").asText("");
            if (!CHECK_ID.matcher(id).matches()) {
                throw ToolRefusal.invalid(
                        "checkId",
                        "checkId must match " + CHECK_ID.pattern()
                                + " (or give the featureId for the latest failed check of the feature's branch)");
            }
        } else {
            id = latestCheckOf(forge, call.tenant(), repository, "feature/" + feature(args, true));
        }
        ForgePort.CheckLog log = forge(() -> forge.checkLog(call.tenant(), repository, id, maxBytes));
        return JsonNodeFactory.instance
                .objectNode()
                .put("repository", repository)
                .put("checkId", log.id())
                .put("text", log.text())
                .put("truncated", log.truncated());
    }

    /** The newest failed completed check of {@code ref}, else its newest completed one. */
    private String latestCheckOf(ForgePort forge, String tenant, String repository, String ref) {
        List<ForgePort.Check> checks = forge(() -> forge.checks(tenant, repository, ref, settings.maxChecks()));
        return checks.stream()
                .filter(c -> FAILED.contains(c.conclusion().orElse("")))
                .findFirst()
                .or(() -> checks.stream()
                        .filter(c -> "completed".equals(c.status()))
                        .findFirst())
                .map(ForgePort.Check::id)
                .orElseThrow(
                        () -> new ToolFailure("no completed check on " + ref + " yet: wait for it with forge_checks"));
    }

    // --- issues

    private JsonNode createIssue(ToolCall call) {
        JsonNode args = call.arguments();
        String repository = repository(args);
        String title = text(args, "title", settings.maxTitleChars(), true);
        String body = text(args, "body", settings.maxBodyBytes(), true);
        if (args.hasNonNull("featureId")) {
            body = body + "\n\n" + MARKER + feature(args, true) + "\n";
        }
        if (body.getBytes(StandardCharsets.UTF_8).length > settings.maxBodyBytes()) {
            throw ToolRefusal.invalid("body", "body must be at most " + settings.maxBodyBytes() + " bytes");
        }
        List<String> labels = args.has("labels") ? labels(args, false) : List.of();
        String finalBody = body;
        ForgePort forge = router.forRepository(repository);
        return issue(repository, forge(() -> forge.createIssue(call.tenant(), repository, title, finalBody, labels)));
    }

    private JsonNode labelIssue(ToolCall call) {
        JsonNode args = call.arguments();
        String repository = repository(args);
        int number = number(args, "number");
        List<String> labels = labels(args, true);
        ForgePort forge = router.forRepository(repository);
        return issue(repository, forge(() -> forge.addLabels(call.tenant(), repository, number, labels)));
    }

    private JsonNode closeIssue(ToolCall call) {
        JsonNode args = call.arguments();
        String repository = repository(args);
        int number = number(args, "number");
        ForgePort forge = router.forRepository(repository);
        return issue(repository, forge(() -> forge.closeIssue(call.tenant(), repository, number)));
    }

    // --- the push hook of git_push

    @Override
    public Optional<String> pushed(
            String tenant, String repository, String branch, String before, String after, List<String> commits) {
        Optional<ForgePort> forge = router.find(repository);
        if (forge.isEmpty()) {
            return Optional.empty();
        }
        try {
            forge.get().branchPushed(tenant, repository, branch, before, after, commits);
            return forge.get()
                    .openPullRequestFor(tenant, repository, branch)
                    .map(pr -> "pull request #" + pr.number() + " now has head " + after + "; "
                            + checksNote(repository, after));
        } catch (ForgeException e) {
            throw new ToolFailure(e.getMessage());
        }
    }

    // --- arguments and answers

    private String repository(JsonNode args) {
        String repository = args.path("repository").asText("");
        if (!settings.defaultBranches().containsKey(repository)) {
            throw ToolRefusal.invalid(
                    "repository",
                    "repository must be one of the configured repositories "
                            + settings.defaultBranches().keySet());
        }
        return repository;
    }

    private static String feature(JsonNode args, boolean required) {
        String feature = args.path("featureId").asText("");
        if (!GitTools.FEATURE_ID.matcher(feature).matches() || feature.endsWith(".lock") || feature.endsWith(".")) {
            throw ToolRefusal.invalid("featureId", "featureId must be a roadmap node id usable as a branch name");
        }
        return feature;
    }

    private static String branch(String branch, String field) {
        if (!GitTools.BRANCH_NAME.matcher(branch).matches()
                || branch.contains("..")
                || branch.endsWith(".lock")
                || branch.endsWith("/")
                || branch.contains("//")) {
            throw ToolRefusal.invalid(
                    field, field + " must be a branch name matching " + GitTools.BRANCH_NAME.pattern());
        }
        return branch;
    }

    /** Text of at most {@code max} characters (bodies: bytes of UTF-8); required → not blank. */
    private static String text(JsonNode args, String field, int max, boolean required) {
        JsonNode node = args.path(field);
        if (node.isMissingNode() || node.isNull()) {
            if (required) {
                throw ToolRefusal.invalid(field, field + " is required");
            }
            return "";
        }
        if (!node.isTextual() || (required && node.asText().isBlank())) {
            throw ToolRefusal.invalid(field, field + " must be a non-blank string");
        }
        String text = node.asText();
        if (text.getBytes(StandardCharsets.UTF_8).length > max) {
            throw ToolRefusal.invalid(
                    field, field + " must be at most " + max + (max > 1024 ? " bytes" : " characters"));
        }
        return field.equals("title") ? text.strip() : text;
    }

    private static int number(JsonNode args, String field) {
        JsonNode node = args.path(field);
        if (!node.canConvertToInt() || !node.isIntegralNumber() || node.asInt() < 1) {
            throw ToolRefusal.invalid(field, field + " must be a positive whole number");
        }
        return node.asInt();
    }

    private List<String> labels(JsonNode args, boolean required) {
        JsonNode node = args.path("labels");
        if (!node.isArray() || (required && node.isEmpty())) {
            throw ToolRefusal.invalid("labels", "labels must be a list of 1 to " + settings.maxLabels() + " labels");
        }
        if (node.size() > settings.maxLabels()) {
            throw ToolRefusal.invalid("labels", "at most " + settings.maxLabels() + " labels");
        }
        LinkedHashSet<String> labels = new LinkedHashSet<>();
        for (JsonNode label : node) {
            String text = label.asText("").strip();
            if (!label.isTextual() || !LABEL.matcher(text).matches()) {
                throw ToolRefusal.invalid(
                        "labels", "a label is 1 to 50 characters, without commas or control characters");
            }
            labels.add(text);
        }
        return List.copyOf(labels);
    }

    private String checksNote(String repository, String sha) {
        if ("local".equals(router.kindOf(repository))) {
            return settings.withChecks().contains(repository)
                    ? "the check devloop/check runs on " + sha + "; call forge_checks to wait for it"
                    : "no check command is configured for repository " + repository + ": no checks run";
        }
        return "the forge's checks run on " + sha + "; call forge_checks to wait for them";
    }

    private static ObjectNode pullRequest(String repository, ForgePort.PullRequest pr) {
        return JsonNodeFactory.instance
                .objectNode()
                .put("repository", repository)
                .put("number", pr.number())
                .put("url", pr.url())
                .put("state", pr.state())
                .put("title", pr.title())
                .put("head", pr.head())
                .put("base", pr.base())
                .put("headSha", pr.headSha())
                .put("mergeCommitSha", pr.mergeCommitSha().orElse(null))
                .put("body", pr.body());
    }

    private static ObjectNode issue(String repository, ForgePort.Issue issue) {
        ObjectNode out = JsonNodeFactory.instance
                .objectNode()
                .put("repository", repository)
                .put("number", issue.number())
                .put("url", issue.url())
                .put("state", issue.state())
                .put("title", issue.title());
        ArrayNode labels = out.putArray("labels");
        issue.labels().forEach(labels::add);
        return out;
    }

    /** A forge's refusal or outage becomes a FAILED result with its status. */
    private static <T> T forge(Supplier<T> call) {
        try {
            return call.get();
        } catch (ForgeException e) {
            throw new Refused(
                    e.status(),
                    "the forge refused the call (" + e.status() + "): " + e.getMessage()
                            + e.retryAfterSeconds()
                                    .map(s -> "; retry in " + s + " s")
                                    .orElse(""));
        } catch (DownstreamException e) {
            throw new ToolFailure("the forge could not be reached: " + e.getMessage());
        }
    }

    /** A ToolFailure the forge answered with a status (4xx: refused, else failed). */
    static final class Refused extends ToolFailure {
        private final int status;

        Refused(int status, String message) {
            super(message);
            this.status = status;
        }

        int status() {
            return status;
        }
    }

    /** Runs the tool and counts its outcome: succeeded, invalid (bad arguments), refused (the forge's 4xx), failed. */
    private ToolExecutor executor(String name, Function<ToolCall, JsonNode> body) {
        return ToolExecutor.of(name, ToolKind.NATIVE, call -> {
            try {
                JsonNode out = body.apply(call);
                metrics.forgeCall(name, "succeeded");
                return out;
            } catch (ToolRefusal e) {
                metrics.forgeCall(name, "invalid");
                throw e;
            } catch (Refused e) {
                metrics.forgeCall(name, e.status() >= 400 && e.status() < 500 ? "refused" : "failed");
                throw e;
            } catch (RuntimeException e) {
                metrics.forgeCall(name, "failed");
                throw e;
            }
        });
    }
}
