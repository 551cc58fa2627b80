package dev.devloop.contracts.identity;

import io.quarkus.tls.TlsConfiguration;
import io.quarkus.tls.TlsConfigurationRegistry;
import jakarta.inject.Singleton;
import java.util.Optional;
import javax.net.ssl.SSLContext;

/**
 * The cell's mTLS material for the HTTP clients a service builds itself (JDK or Vert.x clients; Quarkus REST
 * clients take {@code quarkus.rest-client.<name>.tls-configuration-name} instead): the TLS registry entry named by
 * {@code devloop.identity.tls-configuration}, holding this service's certificate and the cell's CA. Empty when the
 * cell runs without mTLS. The registry reloads the files (cert-manager renewals); each new client sees the current
 * ones.
 */
@Singleton
public class CellTls {
    private final Optional<TlsConfiguration> configuration;

    public CellTls(TlsConfigurationRegistry registry, IdentityConfig config) {
        this.configuration = config.tlsConfiguration()
                .filter(name -> !name.isBlank())
                .map(name -> registry.get(name)
                        .orElseThrow(() -> new IllegalStateException("devloop.identity.tls-configuration names '" + name
                                + "', but quarkus.tls." + name + ".* is not configured")));
    }

    /** The registry entry (key and trust options for Vert.x clients), when the cell uses mTLS. */
    public Optional<TlsConfiguration> configuration() {
        return configuration;
    }

    /** An SSL context presenting this service's certificate and trusting the cell's CA (JDK clients). */
    public Optional<SSLContext> sslContext() {
        return configuration.map(tls -> {
            try {
                return tls.createSSLContext();
            } catch (Exception e) {
                throw new IllegalStateException("cannot build the cell's SSL context from " + tls.getName(), e);
            }
        });
    }
}
