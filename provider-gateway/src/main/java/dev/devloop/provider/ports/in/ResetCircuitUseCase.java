package dev.devloop.provider.ports.in;

/** Incoming port: close a provider's circuit breaker now (the System Health agent's repair of a circuit forced open). */
public interface ResetCircuitUseCase {

    /** The circuit state before and after a reset. */
    record CircuitReset(String provider, String before, String after) {}

    /**
     * Resets the circuit of provider {@code name} for {@code tenant} (logged and counted).
     *
     * @throws dev.devloop.contracts.problem.Refusal {@code NOT_FOUND} naming field {@code name} when no provider is called so
     */
    CircuitReset resetCircuit(String tenant, String name);
}
