package dev.devloop.tools.ports.out;

import dev.devloop.tools.domain.AuditEntry;

/** Outgoing persistence port for the audit log of every invocation attempt. */
public interface AuditPort {
    void record(AuditEntry entry);
}
