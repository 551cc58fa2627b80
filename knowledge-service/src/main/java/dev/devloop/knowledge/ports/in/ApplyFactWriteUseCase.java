package dev.devloop.knowledge.ports.in;

/** Incoming port: apply an asynchronous fact write from {@code devloop.knowledge.facts}, once per event id. */
public interface ApplyFactWriteUseCase {
    /** True when applied now, false when the event id was already applied. */
    boolean apply(String eventId, StoreFactCommand command);
}
