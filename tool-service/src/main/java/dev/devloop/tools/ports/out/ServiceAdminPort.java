package dev.devloop.tools.ports.out;

import java.net.URI;

/**
 * Outgoing port to the administrative endpoints of Devloop's services (drop a cache, change a
 * setting): one bounded HTTP call carrying the tenant header, never following redirects.
 */
public interface ServiceAdminPort {
    /** The owner's answer: status and body, the body cut at the read bound. */
    record Answer(int status, String body) {}

    /** {@link DownstreamException} when the owner cannot be reached in time. */
    Answer send(String method, URI uri, String tenant, String jsonBody, long timeoutMs, int maxBodyBytes);
}
