package dev.devloop.tools.support;

import static org.assertj.core.api.Assertions.assertThat;

import dev.devloop.contracts.problem.ProblemException;
import dev.devloop.tools.adapters.in.rest.ToolRefusalMapper;
import dev.devloop.tools.ports.in.ToolRefusal;

/**
 * Use cases refuse with {@link ToolRefusal}; the REST edge turns it into problem+json. Tests that check the problem a
 * caller gets (status, type, field, detail) read it through the same mapping.
 */
public final class Refusals {

    /** {@code t} must be a refusal; answers the problem the REST edge makes of it. */
    public static ProblemException asProblem(Throwable t) {
        assertThat(t).isInstanceOf(ToolRefusal.class);
        return new ProblemException(ToolRefusalMapper.problem((ToolRefusal) t));
    }

    private Refusals() {}
}
