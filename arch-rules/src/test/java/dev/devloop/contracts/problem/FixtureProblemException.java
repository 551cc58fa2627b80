package dev.devloop.contracts.problem;

/** Test stand-in for contracts' ProblemException (an HTTP status), so the fixtures need no contracts jar. */
public class FixtureProblemException extends RuntimeException {
    public FixtureProblemException(int status, String detail) {
        super(status + " " + detail);
    }
}
