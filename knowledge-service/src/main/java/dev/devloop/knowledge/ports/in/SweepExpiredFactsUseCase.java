package dev.devloop.knowledge.ports.in;

/** Incoming port: delete facts whose expiry passed from the stores that do not expire them. */
public interface SweepExpiredFactsUseCase {
    /** Returns how many facts were deleted. */
    int sweep();
}
