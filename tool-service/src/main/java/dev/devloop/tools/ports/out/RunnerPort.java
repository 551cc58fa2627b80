package dev.devloop.tools.ports.out;

import java.util.Optional;

/** Outgoing port to the platform's runner (deploy/devloop locally, the Kubernetes API server in a cluster). */
public interface RunnerPort {
    /** How a restart request went: finished (exit code 0 = restarted), or still running past the wait. */
    record Restart(String runner, boolean finished, int exitCode, String output) {}

    /** The runner's name when one is configured. */
    Optional<String> configured();

    /** Restarts the service, waiting at most {@code waitMs}; {@link DownstreamException} when it cannot start. */
    Restart restart(String service, long waitMs);
}
