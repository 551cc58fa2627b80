package dev.devloop.tools.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** SSRF ranges: what a network tool may not reach without an explicit allow-listing. */
class AddressRangesTest {

    @ParameterizedTest
    @ValueSource(
            strings = {
                "127.0.0.1",
                "127.8.8.8",
                "::1",
                "169.254.169.254",
                "fe80::1",
                "10.1.2.3",
                "172.16.0.1",
                "172.31.255.255",
                "192.168.1.1",
                "100.64.0.1",
                "0.0.0.0",
                "::",
                "::ffff:127.0.0.1",
                "::ffff:169.254.169.254",
                "fd00::1",
                "224.0.0.1",
                "240.0.0.1"
            })
    void internalAddressesAreForbidden(String address) throws Exception {
        assertThat(AddressRanges.forbidden(InetAddress.getByName(address))).isPresent();
    }

    @ParameterizedTest
    @ValueSource(strings = {"8.8.8.8", "1.1.1.1", "93.184.216.34", "172.32.0.1", "2606:4700:4700::1111"})
    void publicAddressesAreAllowed(String address) throws Exception {
        assertThat(AddressRanges.forbidden(InetAddress.getByName(address))).isEmpty();
    }
}
