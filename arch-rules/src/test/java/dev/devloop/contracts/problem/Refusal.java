package dev.devloop.contracts.problem;

/** A stand-in for contracts' Refusal: the one contracts.problem type the core may throw. */
public class Refusal extends RuntimeException {
    /** Why. */
    public enum Reason {
        INVALID
    }

    public Refusal(Reason reason, String detail) {
        super(reason + ": " + detail);
    }
}
