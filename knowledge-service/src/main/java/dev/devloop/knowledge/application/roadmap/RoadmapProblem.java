package dev.devloop.knowledge.application.roadmap;

import dev.devloop.knowledge.ports.in.KnowledgeRefusal;
import dev.devloop.knowledge.ports.in.KnowledgeRefusal.Reason;
import java.util.List;
import java.util.Map;

/** The roadmap's refusals, some with extension members ({@code cycle}, {@code from}/{@code to}, …). */
final class RoadmapProblem {

    private RoadmapProblem() {}

    static KnowledgeRefusal conflict(String slug, String title, String detail, Map<String, Object> extensions) {
        return new KnowledgeRefusal(Reason.CONFLICT, slug, title, detail, null, extensions);
    }

    /** A 400 of a specific type naming the offending field. */
    static KnowledgeRefusal badField(String slug, String field, String detail) {
        return new KnowledgeRefusal(Reason.INVALID, slug, "Invalid request", detail, field, null);
    }

    static KnowledgeRefusal notFound(String id) {
        return KnowledgeRefusal.notFound("node-not-found", "No roadmap node " + id + " for this tenant.");
    }

    static KnowledgeRefusal cycle(List<String> cycle) {
        return conflict(
                "dependency-cycle",
                "Dependency cycle",
                "This dependency would close a cycle: " + String.join(" -> ", cycle) + ".",
                Map.of("cycle", cycle));
    }

    static KnowledgeRefusal tooLarge(String what, int max) {
        return new KnowledgeRefusal(
                Reason.UNPROCESSABLE,
                "roadmap-too-large",
                "Roadmap too large",
                "The " + what + " holds more than " + max + " nodes; narrow it down.",
                null,
                null);
    }
}
