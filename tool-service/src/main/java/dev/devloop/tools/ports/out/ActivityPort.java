package dev.devloop.tools.ports.out;

import dev.devloop.tools.domain.ActivityRecord;

/** Outgoing persistence port for agent activity lines. */
public interface ActivityPort {
    /** Stores the record and returns its id. */
    String save(ActivityRecord record);
}
