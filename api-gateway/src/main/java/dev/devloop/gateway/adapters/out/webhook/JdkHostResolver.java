package dev.devloop.gateway.adapters.out.webhook;

import dev.devloop.gateway.ports.out.HostResolverPort;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

/** Resolves webhook hosts with the JVM's resolver. */
@ApplicationScoped
public class JdkHostResolver implements HostResolverPort {

    @Override
    public List<InetAddress> resolve(String host) {
        try {
            return List.of(InetAddress.getAllByName(host));
        } catch (UnknownHostException | SecurityException e) {
            return List.of();
        }
    }
}
