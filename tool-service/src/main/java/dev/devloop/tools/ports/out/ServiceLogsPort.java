package dev.devloop.tools.ports.out;

import java.util.List;

/**
 * Outgoing port to the recent log output of Devloop's services. The service name has already been
 * checked against the allow-list; the adapter maps it to its source (never a path from the model).
 */
public interface ServiceLogsPort {
    /** The last complete lines within the final {@code maxBytes} of the service's log, oldest first. */
    record Tail(List<String> lines, boolean cut) {}

    /** {@link DownstreamException} when the service has no readable log. */
    Tail tail(String service, int maxBytes, int maxLineChars);
}
