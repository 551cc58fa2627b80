package dev.devloop.tools.application;

import dev.devloop.contracts.problem.Problem;
import dev.devloop.contracts.problem.ProblemException;

/** The problem+json answers of this service that contracts has no factory for. */
public final class ToolProblems {

  /** 403: the named rule refused the call; {@code field} is the request field the rule looked at. */
  public static Denied denied(String rule, String field, String detail) {
    return new Denied(rule, new Problem(Problem.TYPE_BASE + "tool-denied", "Tool call denied", 403,
        "denied by rule " + rule + ": " + detail, null, field, null));
  }

  /** A 403 (or 429, {@link QuotaExceeded}) that remembers the rule which denied the call, for the audit. */
  public static class Denied extends ProblemException {
    private final String rule;

    Denied(String rule, Problem problem) {
      super(problem);
      this.rule = rule;
    }

    public String rule() {
      return rule;
    }
  }

  /** 404: no enabled tool of that id for this tenant. */
  public static ProblemException unknownTool(String id) {
    return ProblemException.notFound("tool-not-found", "no enabled tool '" + id + "' is registered for this tenant");
  }

  /** 409: the request collides with existing state. */
  public static ProblemException conflict(String slug, String field, String detail) {
    return new ProblemException(new Problem(Problem.TYPE_BASE + slug, "Conflict", 409, detail, null, field, null));
  }

  private ToolProblems() {}
}
