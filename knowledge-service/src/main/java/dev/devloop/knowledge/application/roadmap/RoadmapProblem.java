package dev.devloop.knowledge.application.roadmap;

import dev.devloop.contracts.problem.Problem;
import dev.devloop.contracts.problem.ProblemException;
import java.util.List;
import java.util.Map;

/** A problem with extension members ({@code cycle}, {@code from}/{@code to}, {@code dependencies}). */
public class RoadmapProblem extends ProblemException {
    private final transient Map<String, Object> extensions;

    public RoadmapProblem(Problem problem, Map<String, Object> extensions) {
        super(problem);
        this.extensions = Map.copyOf(extensions);
    }

    public Map<String, Object> extensions() {
        return extensions;
    }

    static RoadmapProblem conflict(String slug, String title, String detail, Map<String, Object> extensions) {
        return new RoadmapProblem(Problem.of(409, slug, title, detail), extensions);
    }

    /** A 400 of a specific type naming the offending field. */
    static RoadmapProblem badField(String slug, String field, String detail) {
        return new RoadmapProblem(
                new Problem(
                        Problem.TYPE_BASE + slug,
                        "Invalid request",
                        400,
                        detail,
                        null,
                        field,
                        List.of(new Problem.FieldError(field, detail))),
                Map.of());
    }

    static ProblemException notFound(String id) {
        return ProblemException.notFound("node-not-found", "No roadmap node " + id + " for this tenant.");
    }

    static RoadmapProblem cycle(List<String> cycle) {
        return conflict(
                "dependency-cycle",
                "Dependency cycle",
                "This dependency would close a cycle: " + String.join(" -> ", cycle) + ".",
                Map.of("cycle", cycle));
    }

    static RoadmapProblem tooLarge(String what, int max) {
        return new RoadmapProblem(
                Problem.of(
                        422,
                        "roadmap-too-large",
                        "Roadmap too large",
                        "The " + what + " holds more than " + max + " nodes; narrow it down."),
                Map.of());
    }
}
