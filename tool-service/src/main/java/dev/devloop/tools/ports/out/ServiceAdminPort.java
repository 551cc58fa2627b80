package dev.devloop.tools.ports.out;

import java.net.URI;

/**
 * Outgoing port to the administrative endpoints of Devloop's services (drop a cache, change a
 * setting): one bounded HTTP call, signed for the owning service and acting for the tenant, never
 * following redirects.
 */
public interface ServiceAdminPort {
    /** The owner's answer: status and body, the body cut at the read bound. */
    record Answer(int status, String body) {}

    /**
     * Calls {@code owner} (the Devloop service serving {@code uri}, the audience of the call's credential);
     * {@link DownstreamException} when it cannot be reached in time.
     */
    Answer send(String owner, String method, URI uri, String tenant, String jsonBody, long timeoutMs, int maxBodyBytes);
}
