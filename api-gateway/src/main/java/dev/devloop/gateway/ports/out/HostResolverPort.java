package dev.devloop.gateway.ports.out;

import java.net.InetAddress;
import java.util.List;

/** Outgoing port: resolves a host name to its addresses (empty when it does not resolve). */
public interface HostResolverPort {

    List<InetAddress> resolve(String host);
}
