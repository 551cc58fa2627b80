package dev.devloop.tools.ports.out;

import java.net.InetAddress;
import java.net.URI;
import java.util.List;

/**
 * Outgoing port to the network: name resolution, TCP and HTTP probes (never following redirects), bounded reads.
 * Resolution happens only in {@link #resolve}: the probes take the address the caller resolved and checked, and
 * never look a name up again (no DNS rebinding between the check and the connection).
 */
public interface NetworkPort {
    /** An HTTP answer: status, a redirect target if any, and the body up to the read bound. */
    record HttpAnswer(int status, String location, String body, boolean bodyTruncated) {}

    /**
     * An HTTP(S) URL pinned to the address it was checked against: the connection goes to {@code address}
     * and {@code uri}'s port; the URI's host only names the server (Host header, TLS SNI and certificate check).
     */
    record PinnedUrl(URI uri, InetAddress address) {
        public PinnedUrl {
            if (uri == null || address == null || uri.getHost() == null) {
                throw new IllegalArgumentException("a pinned URL needs an absolute URI with a host and an address");
            }
        }
    }

    /** Every address the host resolves to; {@link DownstreamException} when it resolves to none. */
    List<InetAddress> resolve(String host);

    /** Opens and closes a TCP connection; {@link DownstreamException} when that fails. */
    void connect(InetAddress address, int port, long timeoutMs);

    /** GET {@code url} on its pinned address without following redirects, reading at most {@code maxBodyBytes}. */
    HttpAnswer get(PinnedUrl url, long timeoutMs, int maxBodyBytes);
}
