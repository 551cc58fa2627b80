package dev.devloop.gateway.application;

import dev.devloop.contracts.problem.Refusal;
import dev.devloop.gateway.ports.out.HostResolverPort;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * SSRF rules for webhook URLs: absolute http(s), no user info, a host that resolves, and no loopback,
 * private, link-local (cloud metadata), CGNAT, multicast or unspecified address, unless the host is
 * in the allowed list.
 */
public final class WebhookUrlRules {
    public static final String FIELD = "url";
    private final HostResolverPort resolver;
    private final Set<String> allowedHosts;
    private final int maxUrlLength;

    public WebhookUrlRules(HostResolverPort resolver, Set<String> allowedHosts, int maxUrlLength) {
        this.resolver = resolver;
        this.allowedHosts =
                allowedHosts.stream().map(h -> h.toLowerCase(Locale.ROOT)).collect(Collectors.toUnmodifiableSet());
        this.maxUrlLength = maxUrlLength;
    }

    /** Returns the URL when it passes every rule, else throws a 400 naming {@code url}. */
    public String check(String url) {
        if (url == null || url.isBlank()) {
            throw Refusal.invalid(FIELD, "url is required");
        }
        if (url.length() > maxUrlLength) {
            throw Refusal.invalid(FIELD, "url must be at most " + maxUrlLength + " characters");
        }
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw Refusal.invalid(FIELD, "url is not a valid URI");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("https") && !scheme.equals("http")) {
            throw Refusal.invalid(FIELD, "url must use https or http");
        }
        if (uri.getRawUserInfo() != null) {
            throw Refusal.invalid(FIELD, "url must not carry user info");
        }
        String host = uri.getHost();
        if (host == null || host.isBlank()) {
            throw Refusal.invalid(FIELD, "url must name a host");
        }
        String bareHost = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        if (allowedHosts.contains(bareHost.toLowerCase(Locale.ROOT))) {
            return url;
        }
        List<InetAddress> addresses = resolver.resolve(bareHost);
        if (addresses.isEmpty()) {
            throw Refusal.invalid(FIELD, "url host '" + bareHost + "' does not resolve");
        }
        for (InetAddress address : addresses) {
            if (forbidden(address)) {
                throw Refusal.invalid(
                        FIELD,
                        "url host '" + bareHost + "' resolves to a loopback, private, link-local or metadata address");
            }
        }
        return url;
    }

    /** True for addresses a webhook must never reach. */
    static boolean forbidden(InetAddress address) {
        if (address.isLoopbackAddress()
                || address.isAnyLocalAddress()
                || address.isLinkLocalAddress()
                || address.isSiteLocalAddress()
                || address.isMulticastAddress()) {
            return true;
        }
        byte[] b = address.getAddress();
        if (b.length == 4) {
            int first = b[0] & 0xff;
            int second = b[1] & 0xff;
            return first == 0
                    || (first == 100 && second >= 64 && second <= 127)
                    || first >= 240
                    || (first == 192 && second == 0 && (b[2] & 0xff) == 0)
                    || (first == 198 && (second == 18 || second == 19));
        }
        if (address instanceof Inet6Address) {
            int first = b[0] & 0xff;
            if ((first & 0xfe) == 0xfc) {
                return true;
            }
            boolean mapped = true;
            for (int i = 0; i < 10; i++) {
                mapped &= b[i] == 0;
            }
            if (mapped && (b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff) {
                try {
                    return forbidden(InetAddress.getByAddress(new byte[] {b[12], b[13], b[14], b[15]}));
                } catch (UnknownHostException e) {
                    return true;
                }
            }
        }
        return false;
    }
}
