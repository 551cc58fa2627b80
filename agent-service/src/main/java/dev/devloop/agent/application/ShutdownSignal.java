package dev.devloop.agent.application;

/**
 * Whether the service is shutting down: set by the run service's {@link RunAgentService#drain}, read by the loop
 * (runs in flight yield at their next step boundary) and by recovery (no pass takes runs). One instance shared by
 * both, so neither needs the other to know.
 */
public final class ShutdownSignal {
    private volatile boolean draining;

    public boolean draining() {
        return draining;
    }

    void startDraining() {
        draining = true;
    }
}
