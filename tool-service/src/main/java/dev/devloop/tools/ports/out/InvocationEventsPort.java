package dev.devloop.tools.ports.out;

import dev.devloop.tools.domain.AuditEntry;

/** Outgoing port publishing every invocation attempt as an event. */
public interface InvocationEventsPort {
    void invoked(AuditEntry entry);
}
