package dev.devloop.contracts.problem;

/** Thrown anywhere to answer the current request with a problem+json body. */
public class ProblemException extends RuntimeException {
    private final transient Problem problem;

    public ProblemException(Problem problem) {
        super(problem.detail());
        this.problem = problem;
    }

    public Problem problem() {
        return problem;
    }

    public static ProblemException badRequest(String field, String detail) {
        return new ProblemException(Problem.invalidField(field, detail));
    }

    public static ProblemException notFound(String slug, String detail) {
        return new ProblemException(Problem.of(404, slug, "Not found", detail));
    }

    public static ProblemException unavailable(String slug, String detail) {
        return new ProblemException(Problem.of(503, slug, "Dependency unavailable", detail));
    }
}
