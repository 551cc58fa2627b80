package dev.devloop.provider.application;

import dev.devloop.contracts.problem.Refusal;

/** The use cases' two refusals that contracts' {@link Refusal} has no factory for. */
final class Refusals {
    private Refusals() {}

    /** Nothing named so: {@code slug} says what was looked for (404). */
    static Refusal notFound(String slug, String detail) {
        return new Refusal(Refusal.Reason.NOT_FOUND, slug, "Not found", detail, null);
    }

    /** A store the use case needs did not answer (503). */
    static Refusal unavailable(String slug, String detail) {
        return new Refusal(Refusal.Reason.UNAVAILABLE, slug, "Dependency unavailable", detail, null);
    }
}
