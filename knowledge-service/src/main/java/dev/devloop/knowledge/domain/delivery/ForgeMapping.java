package dev.devloop.knowledge.domain.delivery;

import dev.devloop.knowledge.domain.roadmap.RoadmapLinks;
import dev.devloop.knowledge.domain.roadmap.RoadmapRules;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Maps a GitHub webhook payload (as plain JSON values) to the change it makes on a roadmap feature, following the
 * table of docs/delivery.md. An event of another kind or action, or one that names no feature, maps to nothing; a
 * payload lacking what its kind must carry is a {@link MalformedForgeEvent}.
 */
public final class ForgeMapping {
    public static final String BRANCH_PREFIX = "feature/";
    private static final String PUSH_PREFIX = "refs/heads/" + BRANCH_PREFIX;
    private static final Pattern MARKER = Pattern.compile("(?m)^[ \\t]*Devloop-Feature:[ \\t]*(\\S+)[ \\t]*\\r?$");
    private static final Pattern SHA = Pattern.compile("[0-9a-fA-F]{4,64}");
    private static final Set<String> PR_OPEN = Set.of("opened", "reopened", "ready_for_review");
    private static final Set<String> ISSUE_ACTIONS = Set.of("opened", "edited", "closed", "reopened", "labeled");
    private static final Set<String> FAILED = Set.of("failure", "timed_out", "cancelled");
    static final int MAX_TEXT = 2048;
    static final int MAX_SUMMARY = 4000;
    static final int MAX_LABELS = 50;
    static final int MAX_LABEL = 100;
    static final int MAX_BODY_SCAN = 65_536;

    private ForgeMapping() {}

    /** The change {@code payload} of a webhook of kind {@code event} ({@code X-GitHub-Event}) makes, if any. */
    public static Optional<FeatureChange> map(String event, Map<String, Object> payload) {
        if (payload == null) {
            throw new MalformedForgeEvent("the payload is not a JSON object");
        }
        String action = optText(payload, "action", "action");
        return switch (event) {
            case "pull_request" -> pullRequest(action, payload);
            case "check_run" ->
                "completed".equals(action) ? checkRun(object(payload, "check_run", "check_run")) : Optional.empty();
            case "workflow_run" ->
                "completed".equals(action)
                        ? workflowRun(object(payload, "workflow_run", "workflow_run"))
                        : Optional.empty();
            case "push" -> push(payload);
            case "issues" ->
                ISSUE_ACTIONS.contains(action) ? issue(action, object(payload, "issue", "issue")) : Optional.empty();
            default -> Optional.empty();
        };
    }

    private static Optional<FeatureChange> pullRequest(String action, Map<String, Object> payload) {
        if (!PR_OPEN.contains(action) && !"closed".equals(action)) {
            return Optional.empty();
        }
        Map<String, Object> pr = object(payload, "pull_request", "pull_request");
        Map<String, Object> head = object(pr, "head", "pull_request.head");
        Optional<String> feature = fromBranch(optText(head, "ref", "pull_request.head.ref"))
                .or(() -> fromBody(optText(pr, "body", "pull_request.body")));
        if (feature.isEmpty()) {
            return Optional.empty();
        }
        long number = number(pr, "number", "pull_request.number");
        String url = text(pr, "html_url", "pull_request.html_url");
        if (PR_OPEN.contains(action)) {
            return Optional.of(change(
                    feature.get(),
                    "pull_request",
                    action,
                    new RoadmapLinks.PullRequest(number, url, "open"),
                    FeatureChange.StatusMove.REVIEW,
                    null,
                    null,
                    null,
                    List.of(),
                    null,
                    null));
        }
        boolean merged = Boolean.TRUE.equals(pr.get("merged"));
        return Optional.of(change(
                feature.get(),
                "pull_request",
                action,
                new RoadmapLinks.PullRequest(number, url, merged ? "merged" : "closed"),
                merged ? FeatureChange.StatusMove.MERGED : FeatureChange.StatusMove.REVIEW_CLOSED,
                null,
                null,
                null,
                List.of(),
                null,
                merged ? optText(pr, "merged_at", "pull_request.merged_at") : null));
    }

    private static Optional<FeatureChange> checkRun(Map<String, Object> run) {
        Map<String, Object> suite = optObject(run, "check_suite", "check_run.check_suite");
        Optional<String> feature =
                fromBranch(suite == null ? null : optText(suite, "head_branch", "check_run.check_suite.head_branch"));
        if (feature.isEmpty()) {
            return Optional.empty();
        }
        Map<String, Object> output = optObject(run, "output", "check_run.output");
        String summary = output == null ? null : firstText(output, "check_run.output", "summary", "title");
        if (summary == null) {
            summary = optText(run, "name", "check_run.name");
        }
        return Optional.of(checks(feature.get(), "check_run", run, "check_run", summary));
    }

    private static Optional<FeatureChange> workflowRun(Map<String, Object> run) {
        Optional<String> feature = fromBranch(optText(run, "head_branch", "workflow_run.head_branch"));
        if (feature.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(checks(
                feature.get(),
                "workflow_run",
                run,
                "workflow_run",
                firstText(run, "workflow_run", "display_title", "name")));
    }

    private static FeatureChange checks(
            String feature, String event, Map<String, Object> run, String path, String summary) {
        String conclusion = optText(run, "conclusion", path + ".conclusion");
        String delivery = conclusion == null
                ? null
                : FAILED.contains(conclusion)
                        ? "build_failed"
                        : "success".equals(conclusion) ? "ready_for_review" : null;
        RoadmapLinks.Checks checks = new RoadmapLinks.Checks(
                bounded(optText(run, "status", path + ".status"), 256),
                bounded(conclusion, 256),
                bounded(optText(run, "html_url", path + ".html_url"), MAX_TEXT),
                bounded(summary, MAX_SUMMARY));
        return change(
                feature,
                event,
                "completed",
                null,
                FeatureChange.StatusMove.NONE,
                checks,
                delivery,
                null,
                List.of(),
                null,
                null);
    }

    private static Optional<FeatureChange> push(Map<String, Object> payload) {
        String ref = text(payload, "ref", "ref");
        if (!ref.startsWith(PUSH_PREFIX) || Boolean.TRUE.equals(payload.get("deleted"))) {
            return Optional.empty();
        }
        String branch = ref.substring("refs/heads/".length());
        Optional<String> feature = fromBranch(branch);
        if (feature.isEmpty()) {
            return Optional.empty();
        }
        List<String> commits = new ArrayList<>();
        Object list = payload.get("commits");
        if (list != null && !(list instanceof List<?>)) {
            throw new MalformedForgeEvent("commits is not a list");
        }
        if (list != null) {
            List<?> raw = (List<?>) list;
            for (int i = 0; i < raw.size(); i++) {
                if (!(raw.get(i) instanceof Map<?, ?> commit)
                        || !(commit.get("id") instanceof String id)
                        || !SHA.matcher(id).matches()) {
                    throw new MalformedForgeEvent("commits[" + i + "].id is not a commit id");
                }
                commits.add(id);
            }
        }
        return Optional.of(change(
                feature.get(),
                "push",
                null,
                null,
                FeatureChange.StatusMove.NONE,
                null,
                null,
                branch,
                commits,
                null,
                null));
    }

    private static Optional<FeatureChange> issue(String action, Map<String, Object> issue) {
        Optional<String> feature = fromBody(optText(issue, "body", "issue.body"));
        if (feature.isEmpty()) {
            return Optional.empty();
        }
        List<String> labels = new ArrayList<>();
        Object raw = issue.get("labels");
        if (raw instanceof List<?> list) {
            for (Object label : list) {
                if (label instanceof Map<?, ?> l
                        && l.get("name") instanceof String name
                        && labels.size() < MAX_LABELS) {
                    labels.add(bounded(name, MAX_LABEL));
                }
            }
        }
        Map<String, Object> meta = new LinkedHashMap<>();
        meta.put("number", number(issue, "number", "issue.number"));
        meta.put("url", bounded(text(issue, "html_url", "issue.html_url"), MAX_TEXT));
        meta.put("state", bounded(text(issue, "state", "issue.state"), 256));
        meta.put("labels", labels);
        return Optional.of(change(
                feature.get(),
                "issues",
                action,
                null,
                FeatureChange.StatusMove.NONE,
                null,
                null,
                null,
                List.of(),
                meta,
                null));
    }

    /** The feature id of a {@code feature/<id>} branch, when it is a valid roadmap id. */
    public static Optional<String> fromBranch(String branch) {
        if (branch == null || !branch.startsWith(BRANCH_PREFIX)) {
            return Optional.empty();
        }
        String id = branch.substring(BRANCH_PREFIX.length());
        return RoadmapRules.validId(id) ? Optional.of(id) : Optional.empty();
    }

    /** The feature id of the first {@code Devloop-Feature: <id>} line of a body, when it is a valid roadmap id. */
    public static Optional<String> fromBody(String body) {
        if (body == null) {
            return Optional.empty();
        }
        Matcher m = MARKER.matcher(body.length() > MAX_BODY_SCAN ? body.substring(0, MAX_BODY_SCAN) : body);
        return m.find() && RoadmapRules.validId(m.group(1)) ? Optional.of(m.group(1)) : Optional.empty();
    }

    private static FeatureChange change(
            String feature,
            String event,
            String action,
            RoadmapLinks.PullRequest pr,
            FeatureChange.StatusMove status,
            RoadmapLinks.Checks checks,
            String delivery,
            String branch,
            List<String> commits,
            Map<String, Object> issue,
            String mergedAt) {
        return new FeatureChange(
                feature,
                event,
                action,
                pr == null ? null : new RoadmapLinks.PullRequest(pr.number(), bounded(pr.url(), MAX_TEXT), pr.state()),
                status,
                checks,
                delivery,
                bounded(branch, 256),
                commits,
                issue,
                bounded(mergedAt, 64));
    }

    private static String bounded(String text, int max) {
        if (text == null) {
            return null;
        }
        String clean = text.replaceAll("\\p{Cntrl}", " ");
        return clean.length() > max ? clean.substring(0, max) : clean;
    }

    private static String firstText(Map<String, Object> map, String path, String... fields) {
        for (String field : fields) {
            String value = optText(map, field, path + "." + field);
            if (value != null && !value.isBlank()) {
                return value;
            }
        }
        return null;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> object(Map<String, Object> map, String field, String path) {
        Map<String, Object> value = optObject(map, field, path);
        if (value == null) {
            throw new MalformedForgeEvent(path + " is missing");
        }
        return value;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> optObject(Map<String, Object> map, String field, String path) {
        Object value = map.get(field);
        if (value == null) {
            return null;
        }
        if (!(value instanceof Map<?, ?>)) {
            throw new MalformedForgeEvent(path + " is not an object");
        }
        return (Map<String, Object>) value;
    }

    private static String text(Map<String, Object> map, String field, String path) {
        String value = optText(map, field, path);
        if (value == null || value.isBlank()) {
            throw new MalformedForgeEvent(path + " is missing");
        }
        return value;
    }

    private static String optText(Map<String, Object> map, String field, String path) {
        Object value = map.get(field);
        if (value == null) {
            return null;
        }
        if (!(value instanceof String s)) {
            throw new MalformedForgeEvent(path + " is not a string");
        }
        return s;
    }

    private static long number(Map<String, Object> map, String field, String path) {
        Object value = map.get(field);
        if (!(value instanceof Integer || value instanceof Long) || ((Number) value).longValue() < 1) {
            throw new MalformedForgeEvent(path + " is not a positive whole number");
        }
        return ((Number) value).longValue();
    }
}
