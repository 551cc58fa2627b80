package dev.devloop.tools.ports.out;

import java.net.InetAddress;
import java.net.URI;
import java.util.List;

/** Outgoing port to the network: name resolution, TCP and HTTP probes (never following redirects), bounded reads. */
public interface NetworkPort {
    /** An HTTP answer: status, a redirect target if any, and the body up to the read bound. */
    record HttpAnswer(int status, String location, String body, boolean bodyTruncated) {}

    /** Every address the host resolves to; {@link DownstreamException} when it resolves to none. */
    List<InetAddress> resolve(String host);

    /** Opens and closes a TCP connection; {@link DownstreamException} when that fails. */
    void connect(InetAddress address, int port, long timeoutMs);

    /** GET {@code uri} without following redirects, reading at most {@code maxBodyBytes}. */
    HttpAnswer get(URI uri, long timeoutMs, int maxBodyBytes);
}
