package dev.devloop.tools.domain;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Optional;

/**
 * Address ranges a network tool must not reach unless the destination is a configured Devloop endpoint:
 * every entry of the IANA IPv4 and IPv6 special-purpose address registries (RFC 6890 and its updates) —
 * this-network, loopback, private, shared address space, link-local (cloud metadata lives at
 * 169.254.169.254), IETF protocol assignments, documentation, benchmarking, AS112, AMT, the 6to4 relay
 * anycast, multicast, reserved and broadcast; on IPv6 also unique-local, site-local, discard-only,
 * ORCHID, SRv6, the translation prefixes that embed an IPv4 address (NAT64 64:ff9b::/96 and
 * 64:ff9b:1::/48, 6to4 2002::/16, Teredo 2001::/32) and anything outside global unicast 2000::/3.
 * IPv4-mapped ({@code ::ffff:0:0/96}) and IPv4-compatible addresses are judged as the IPv4 address they carry.
 */
public final class AddressRanges {

    /** One special-purpose block: its registry name, network and prefix length. */
    public record Range(String name, byte[] network, int prefixLength) {
        public Range {
            network = network.clone();
        }

        @Override
        public byte[] network() {
            return network.clone();
        }

        /** Whether {@code address} (of the same family) lies in this block. */
        public boolean contains(byte[] address) {
            if (address.length != network.length) {
                return false;
            }
            int full = prefixLength / 8;
            for (int i = 0; i < full; i++) {
                if (address[i] != network[i]) {
                    return false;
                }
            }
            int rest = prefixLength % 8;
            if (rest == 0) {
                return true;
            }
            int mask = (0xff << (8 - rest)) & 0xff;
            return (address[full] & mask) == (network[full] & mask);
        }

        static Range of(String name, String cidr) {
            int slash = cidr.indexOf('/');
            try {
                // only literals: getByName does not touch DNS for them
                byte[] network = InetAddress.getByName(cidr.substring(0, slash)).getAddress();
                if (cidr.indexOf(':') >= 0 && network.length == 4) {
                    throw new IllegalArgumentException("IPv6 range collapsed to IPv4: " + cidr);
                }
                return new Range(name, network, Integer.parseInt(cidr.substring(slash + 1)));
            } catch (UnknownHostException e) {
                throw new IllegalArgumentException(cidr, e);
            }
        }
    }

    /** The IANA IPv4 special-purpose registry (limited broadcast lies inside reserved 240/4). */
    public static final List<Range> IPV4 = List.of(
            Range.of("this-network", "0.0.0.0/8"),
            Range.of("private", "10.0.0.0/8"),
            Range.of("shared address space", "100.64.0.0/10"),
            Range.of("loopback", "127.0.0.0/8"),
            Range.of("link-local/metadata", "169.254.0.0/16"),
            Range.of("private", "172.16.0.0/12"),
            Range.of("IETF protocol assignments", "192.0.0.0/24"),
            Range.of("documentation", "192.0.2.0/24"),
            Range.of("AS112", "192.31.196.0/24"),
            Range.of("AMT", "192.52.193.0/24"),
            Range.of("6to4 relay anycast", "192.88.99.0/24"),
            Range.of("private", "192.168.0.0/16"),
            Range.of("AS112", "192.175.48.0/24"),
            Range.of("benchmarking", "198.18.0.0/15"),
            Range.of("documentation", "198.51.100.0/24"),
            Range.of("documentation", "203.0.113.0/24"),
            Range.of("multicast", "224.0.0.0/4"),
            Range.of("broadcast", "255.255.255.255/32"),
            Range.of("reserved", "240.0.0.0/4"));

    /** The IANA IPv6 special-purpose registry, then everything outside global unicast. */
    public static final List<Range> IPV6 = List.of(
            Range.of("unspecified", "::/128"),
            Range.of("loopback", "::1/128"),
            Range.of("NAT64 (embedded IPv4)", "64:ff9b::/96"),
            Range.of("NAT64 local-use (embedded IPv4)", "64:ff9b:1::/48"),
            Range.of("discard-only", "100::/64"),
            Range.of("Teredo (embedded IPv4)", "2001::/32"),
            Range.of("benchmarking", "2001:2::/48"),
            Range.of("documentation", "2001:db8::/32"),
            Range.of("IETF protocol assignments", "2001::/23"),
            Range.of("6to4 (embedded IPv4)", "2002::/16"),
            Range.of("AS112", "2620:4f:8000::/48"),
            Range.of("documentation", "3fff::/20"),
            Range.of("SRv6 SIDs", "5f00::/16"),
            Range.of("unique-local", "fc00::/7"),
            Range.of("link-local", "fe80::/10"),
            Range.of("site-local", "fec0::/10"),
            Range.of("multicast", "ff00::/8"));

    private static final Range GLOBAL_UNICAST = Range.of("global unicast", "2000::/3");

    /** The name of the special-purpose range {@code address} lies in, or empty when it is a public address. */
    public static Optional<String> forbidden(InetAddress address) {
        byte[] b = address.getAddress();
        if (address instanceof Inet6Address) {
            Optional<byte[]> v4 = embeddedV4(b);
            if (v4.isPresent()) {
                return match(IPV4, v4.get());
            }
            Optional<String> named = match(IPV6, b);
            if (named.isPresent() || GLOBAL_UNICAST.contains(b)) {
                return named;
            }
            return Optional.of("reserved (outside global unicast 2000::/3)");
        }
        if (address instanceof Inet4Address) {
            return match(IPV4, b);
        }
        return Optional.of("unknown address family");
    }

    private static Optional<String> match(List<Range> ranges, byte[] address) {
        for (Range range : ranges) {
            if (range.contains(address)) {
                return Optional.of(range.name());
            }
        }
        return Optional.empty();
    }

    /** The IPv4 address inside an IPv4-mapped (::ffff:a.b.c.d) or IPv4-compatible (::a.b.c.d, not :: or ::1) one. */
    private static Optional<byte[]> embeddedV4(byte[] b) {
        for (int i = 0; i < 10; i++) {
            if (b[i] != 0) {
                return Optional.empty();
            }
        }
        boolean mapped = (b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff;
        boolean compatible = b[10] == 0 && b[11] == 0 && (b[12] | b[13]) != 0;
        if (!mapped && !compatible) {
            return Optional.empty();
        }
        return Optional.of(new byte[] {b[12], b[13], b[14], b[15]});
    }

    private AddressRanges() {}
}
