package dev.devloop.tools.adapters.out.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Turns knowledge-service's 4xx problem+json into one line a model can act on: the status, the problem's
 * slug ({@code dependency-cycle}, {@code invalid-transition}, …), the field and detail, and the members
 * the roadmap problems add ({@code cycle}, {@code from}/{@code to}, {@code dependencies}).
 */
final class KnowledgeProblems {
    static final int MAX_CHARS = 2000;
    private static final int MAX_IDS = 50;

    static String describe(int status, String body, ObjectMapper json) {
        StringBuilder out = new StringBuilder("knowledge-service refused the call (").append(status);
        JsonNode problem = parse(body, json);
        String type = problem.path("type").asText("");
        if (!type.isEmpty()) {
            out.append(' ').append(type.substring(type.lastIndexOf('/') + 1));
        }
        out.append("): ");
        String field = problem.path("field").asText("");
        String detail = problem.path("detail").asText(problem.path("title").asText("no detail"));
        out.append(field.isEmpty() ? detail : field + ": " + detail);
        List<String> extras = new ArrayList<>();
        ids(problem.get("cycle")).ifPresent(ids -> extras.add("cycle: " + String.join(" -> ", ids)));
        if (problem.hasNonNull("from") || problem.hasNonNull("to")) {
            extras.add("from " + problem.path("from").asText("?") + " to "
                    + problem.path("to").asText("?"));
        }
        ids(problem.get("dependencies"))
                .ifPresent(ids -> extras.add("dependencies not done: " + String.join(", ", ids)));
        if (!extras.isEmpty()) {
            out.append(" (").append(String.join("; ", extras)).append(')');
        }
        return out.length() > MAX_CHARS ? out.substring(0, MAX_CHARS - 1) + "…" : out.toString();
    }

    private static JsonNode parse(String body, ObjectMapper json) {
        if (body == null || body.isBlank()) {
            return MissingNode.getInstance();
        }
        try {
            JsonNode node = json.readTree(body);
            return node != null && node.isObject() ? node : MissingNode.getInstance();
        } catch (JsonProcessingException e) {
            return MissingNode.getInstance();
        }
    }

    /** An array of ids, or of objects with an {@code id}, bounded. */
    private static Optional<List<String>> ids(JsonNode list) {
        if (list == null || !list.isArray() || list.isEmpty()) {
            return Optional.empty();
        }
        List<String> ids = new ArrayList<>();
        for (JsonNode item : list) {
            if (ids.size() >= MAX_IDS) {
                ids.add("…");
                break;
            }
            ids.add(item.isObject() ? item.path("id").asText("?") : item.asText());
        }
        return Optional.of(ids);
    }

    private KnowledgeProblems() {}
}
