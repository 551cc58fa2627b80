package dev.devloop.tools.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The IANA IPv4 and IPv6 special-purpose registries, one row per block (its first, an inner and its last address
 * where that matters), with the name the refusal gives; then addresses just outside them that stay public.
 */
class AddressRangesTest {

    @ParameterizedTest(name = "{0} is {1}")
    @CsvSource(
            delimiter = '|',
            value = {
                // IPv4 special-purpose registry
                "0.0.0.0         | this-network",
                "0.255.255.255   | this-network",
                "10.0.0.0        | private",
                "10.255.255.255  | private",
                "100.64.0.0      | shared address space",
                "100.127.255.255 | shared address space",
                "127.0.0.1       | loopback",
                "127.8.8.8       | loopback",
                "169.254.169.254 | link-local/metadata",
                "172.16.0.1      | private",
                "172.31.255.255  | private",
                "192.0.0.0       | IETF protocol assignments",
                "192.0.0.9       | IETF protocol assignments",
                "192.0.0.170     | IETF protocol assignments",
                "192.0.2.1       | documentation",
                "192.31.196.1    | AS112",
                "192.52.193.1    | AMT",
                "192.88.99.1     | 6to4 relay anycast",
                "192.168.1.1     | private",
                "192.175.48.1    | AS112",
                "198.18.0.1      | benchmarking",
                "198.19.255.255  | benchmarking",
                "198.51.100.7    | documentation",
                "203.0.113.200   | documentation",
                "224.0.0.1       | multicast",
                "239.255.255.250 | multicast",
                "240.0.0.1       | reserved",
                "254.1.2.3       | reserved",
                "255.255.255.255 | broadcast",
                // IPv6 special-purpose registry
                "::              | unspecified",
                "::1             | loopback",
                "::ffff:127.0.0.1       | loopback",
                "::ffff:169.254.169.254 | link-local/metadata",
                "::ffff:203.0.113.9     | documentation",
                "::10.0.0.1             | private",
                "64:ff9b::8.8.8.8       | NAT64 (embedded IPv4)",
                "64:ff9b:1::1           | NAT64 local-use (embedded IPv4)",
                "100::1                 | discard-only",
                "2001::1                | Teredo (embedded IPv4)",
                "2001:0:4136:e378:8000:63bf:3fff:fdd2 | Teredo (embedded IPv4)",
                "2001:1::1              | IETF protocol assignments",
                "2001:2::1              | benchmarking",
                "2001:10::1             | IETF protocol assignments",
                "2001:20::1             | IETF protocol assignments",
                "2001:db8::1            | documentation",
                "2001:db8:ffff::1       | documentation",
                "2002:7f00:1::1         | 6to4 (embedded IPv4)",
                "2002:0808:0808::1      | 6to4 (embedded IPv4)",
                "2620:4f:8000::1        | AS112",
                "3fff::1                | documentation",
                "5f00::1                | SRv6 SIDs",
                "fc00::1                | unique-local",
                "fd12:3456::1           | unique-local",
                "fe80::1                | link-local",
                "febf::1                | link-local",
                "fec0::1                | site-local",
                "ff02::1                | multicast",
                "ff0e::1                | multicast",
                "::1:0:0:1              | reserved (outside global unicast 2000::/3)",
                "1::1                   | reserved (outside global unicast 2000::/3)",
                "4000::1                | reserved (outside global unicast 2000::/3)",
                "e000::1                | reserved (outside global unicast 2000::/3)"
            })
    void specialPurposeAddressesAreForbiddenByName(String address, String range) throws Exception {
        assertThat(AddressRanges.forbidden(InetAddress.getByName(address))).contains(range);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "8.8.8.8",
                "1.1.1.1",
                "93.184.216.34",
                "9.255.255.255",
                "11.0.0.0",
                "100.63.255.255",
                "100.128.0.0",
                "126.255.255.255",
                "128.0.0.0",
                "169.253.255.255",
                "172.15.255.255",
                "172.32.0.1",
                "192.0.1.1",
                "192.0.3.1",
                "192.167.255.255",
                "198.17.255.255",
                "198.20.0.0",
                "198.51.99.1",
                "203.0.112.1",
                "223.255.255.255",
                "::ffff:8.8.8.8",
                "2606:4700:4700::1111",
                "2001:4860:4860::8888",
                "2001:200::1",
                "2001:db9::1",
                "2003::1",
                "3ffe::1"
            })
    void publicAddressesAreAllowed(String address) throws Exception {
        assertThat(AddressRanges.forbidden(InetAddress.getByName(address))).isEmpty();
    }
}
