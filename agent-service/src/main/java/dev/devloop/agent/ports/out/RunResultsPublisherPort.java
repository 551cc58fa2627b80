package dev.devloop.agent.ports.out;

import dev.devloop.agent.domain.Run;

/** Outgoing port announcing finished runs on {@code devloop.agent.results}. */
public interface RunResultsPublisherPort {
    void finished(Run run);
}
