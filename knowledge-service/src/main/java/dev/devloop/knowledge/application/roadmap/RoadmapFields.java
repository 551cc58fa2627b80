package dev.devloop.knowledge.application.roadmap;

import dev.devloop.knowledge.domain.roadmap.PlainJson;
import dev.devloop.knowledge.domain.roadmap.RoadmapLevel;
import dev.devloop.knowledge.domain.roadmap.RoadmapLinks;
import dev.devloop.knowledge.domain.roadmap.RoadmapRules;
import dev.devloop.knowledge.domain.roadmap.RoadmapStatus;
import dev.devloop.knowledge.ports.in.KnowledgeRefusal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Checks of roadmap request fields given as plain JSON values; every failure is a 400 naming the field by its
 * path ({@code prefix} + name, e.g. {@code milestones[0].phases[1].name} in an import).
 */
final class RoadmapFields {
    static final Pattern ID = RoadmapRules.ID;
    private static final Pattern SHA = Pattern.compile("[0-9a-fA-F]{4,64}");
    private static final Pattern RUN_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:-]{0,127}");
    static final int MAX_NAME = RoadmapRules.MAX_NAME;
    static final int MAX_DESCRIPTION = RoadmapRules.MAX_DESCRIPTION;
    static final int MAX_OWNER = RoadmapRules.MAX_OWNER;
    private static final int MAX_URL = 2048;
    private static final int MAX_SHORT = 256;
    private static final int MAX_SUMMARY = 4000;

    private final RoadmapLimits limits;

    RoadmapFields(RoadmapLimits limits) {
        this.limits = limits;
    }

    static KnowledgeRefusal bad(String field, String detail) {
        return KnowledgeRefusal.invalid(field, detail);
    }

    /** Refuses keys outside {@code allowed}. */
    static void onlyKnown(String prefix, Map<String, Object> body, Set<String> allowed) {
        for (String key : body.keySet()) {
            if (!allowed.contains(key)) {
                throw bad(prefix + key, "unknown field " + key + "; allowed: " + String.join(", ", allowed));
            }
        }
    }

    static String id(String field, Object value) {
        String id = value instanceof Number n && (n instanceof Integer || n instanceof Long)
                ? n.toString()
                : value instanceof String s ? s : null;
        if (!RoadmapRules.validId(id)) {
            throw bad(field, field + " must be a string matching " + ID.pattern());
        }
        return id;
    }

    /** An id taken from a path or query parameter. */
    static String idParam(String field, String value) {
        if (!RoadmapRules.validId(value)) {
            throw bad(field, field + " must match " + ID.pattern());
        }
        return value;
    }

    static RoadmapLevel level(String field, Object value) {
        if (!(value instanceof String s)) {
            throw bad(field, field + " is required: milestone, phase, module, feature or task");
        }
        return RoadmapLevel.fromWire(s)
                .orElseThrow(() -> bad(field, field + " must be milestone, phase, module, feature or task, not " + s));
    }

    static RoadmapStatus status(String field, Object value) {
        if (!(value instanceof String s)) {
            throw bad(field, field + " must be planned, in_progress, blocked, in_review, done or cancelled");
        }
        return RoadmapStatus.fromWire(s)
                .orElseThrow(() -> bad(
                        field,
                        field + " must be planned, in_progress, blocked, in_review, done or cancelled, not " + s));
    }

    static String name(String field, Object value) {
        String name = text(field, value, MAX_NAME, false);
        if (name == null || name.isBlank()) {
            throw bad(field, field + " is required (1-" + MAX_NAME + " characters)");
        }
        return name;
    }

    /** An optional text (null stays null) of at most {@code max} characters. */
    static String text(String field, Object value, int max, boolean newlines) {
        if (value == null) {
            return null;
        }
        if (!(value instanceof String s)) {
            throw bad(field, field + " must be a string");
        }
        if (s.length() > max) {
            throw bad(field, field + " is longer than " + max + " characters");
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isISOControl(c) && !(newlines && (c == '\n' || c == '\r' || c == '\t'))) {
                throw bad(field, field + " contains control characters");
            }
        }
        return s;
    }

    static Double estimate(String field, Object value) {
        if (value == null) {
            return null;
        }
        if (!(value instanceof Number n) || !RoadmapRules.validEstimate(n.doubleValue())) {
            throw bad(field, field + " must be a number from 0 to " + (long) RoadmapRules.MAX_ESTIMATE);
        }
        return n.doubleValue();
    }

    @SuppressWarnings("unchecked")
    Map<String, Object> metadata(String field, Object value) {
        if (value == null) {
            return Map.of();
        }
        if (!(value instanceof Map<?, ?> map)) {
            throw bad(field, field + " must be a JSON object");
        }
        String json;
        try {
            json = PlainJson.write(map);
        } catch (IllegalArgumentException e) {
            throw bad(field, field + " must hold JSON values only");
        }
        int bytes = json.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > limits.maxMetadataBytes()) {
            throw bad(
                    field,
                    field + " is " + bytes + " bytes as JSON; at most " + limits.maxMetadataBytes() + " are allowed");
        }
        return (Map<String, Object>) map;
    }

    /** Distinct dependency ids, at most {@code maxDependencies}. */
    List<String> dependsOn(String field, Object value) {
        if (value == null) {
            return List.of();
        }
        if (!(value instanceof List<?> list)) {
            throw bad(field, field + " must be a list of ids");
        }
        if (list.size() > limits.maxDependencies()) {
            throw bad(field, field + " holds more than " + limits.maxDependencies() + " ids");
        }
        LinkedHashSet<String> ids = new LinkedHashSet<>();
        for (int i = 0; i < list.size(); i++) {
            ids.add(id(field + "[" + i + "]", list.get(i)));
        }
        return new ArrayList<>(ids);
    }

    /**
     * {@code current} changed by a links patch: {@code commits} and {@code runs} are appended (deduplicated),
     * {@code branch}, {@code pullRequest} and {@code checks} replaced (null removes them).
     */
    RoadmapLinks links(String field, Object value, RoadmapLinks current) {
        if (value == null) {
            return current;
        }
        if (!(value instanceof Map<?, ?> raw)) {
            throw bad(field, field + " must be a JSON object");
        }
        Map<String, Object> patch = strings(field, raw);
        onlyKnown(field + ".", patch, Set.of("branch", "pullRequest", "commits", "checks", "runs"));
        String branch = patch.containsKey("branch")
                ? text(field + ".branch", patch.get("branch"), MAX_SHORT, false)
                : current.branch();
        RoadmapLinks.PullRequest pr = patch.containsKey("pullRequest")
                ? pullRequest(field + ".pullRequest", patch.get("pullRequest"))
                : current.pullRequest();
        RoadmapLinks.Checks checks =
                patch.containsKey("checks") ? checks(field + ".checks", patch.get("checks")) : current.checks();
        List<String> commits = appended(field + ".commits", patch.get("commits"), current.commits(), SHA);
        List<String> runs = appended(field + ".runs", patch.get("runs"), current.runs(), RUN_ID);
        return new RoadmapLinks(branch, pr, commits, checks, runs);
    }

    private List<String> appended(String field, Object value, List<String> current, Pattern pattern) {
        if (value == null) {
            return current;
        }
        if (!(value instanceof List<?> list)) {
            throw bad(field, field + " must be a list of strings");
        }
        List<String> added = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            if (!(list.get(i) instanceof String s) || !pattern.matcher(s).matches()) {
                throw bad(field + "[" + i + "]", field + " entries must match " + pattern.pattern());
            }
            added.add(s);
        }
        List<String> all = RoadmapLinks.appendDistinct(current, added);
        if (all.size() > limits.maxLinkItems()) {
            throw bad(field, field + " would hold more than " + limits.maxLinkItems() + " entries");
        }
        return all;
    }

    private static RoadmapLinks.PullRequest pullRequest(String field, Object value) {
        if (value == null) {
            return null;
        }
        if (!(value instanceof Map<?, ?> raw)) {
            throw bad(field, field + " must be an object {number, url, state}");
        }
        Map<String, Object> pr = strings(field, raw);
        onlyKnown(field + ".", pr, Set.of("number", "url", "state"));
        Object number = pr.get("number");
        if (number != null && !(number instanceof Integer || number instanceof Long)
                || number != null && ((Number) number).longValue() < 1) {
            throw bad(field + ".number", field + ".number must be a positive integer");
        }
        return new RoadmapLinks.PullRequest(
                number == null ? null : ((Number) number).longValue(),
                text(field + ".url", pr.get("url"), MAX_URL, false),
                text(field + ".state", pr.get("state"), MAX_SHORT, false));
    }

    private static RoadmapLinks.Checks checks(String field, Object value) {
        if (value == null) {
            return null;
        }
        if (!(value instanceof Map<?, ?> raw)) {
            throw bad(field, field + " must be an object {status, conclusion, url, summary}");
        }
        Map<String, Object> c = strings(field, raw);
        onlyKnown(field + ".", c, Set.of("status", "conclusion", "url", "summary"));
        return new RoadmapLinks.Checks(
                text(field + ".status", c.get("status"), MAX_SHORT, false),
                text(field + ".conclusion", c.get("conclusion"), MAX_SHORT, false),
                text(field + ".url", c.get("url"), MAX_URL, false),
                text(field + ".summary", c.get("summary"), MAX_SUMMARY, true));
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> strings(String field, Map<?, ?> map) {
        for (Object key : map.keySet()) {
            if (!(key instanceof String)) {
                throw bad(field, field + " keys must be strings");
            }
        }
        return (Map<String, Object>) map;
    }
}
