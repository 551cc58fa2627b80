package dev.devloop.contracts.identity;

import io.quarkus.arc.Unremovable;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.nio.file.Path;

/**
 * The identity objects of this service, built once from {@link IdentityConfig}; unremovable because REST client
 * filters ({@link OutboundIdentity}) look them up rather than inject them.
 */
public class IdentityBeans {
    @Produces
    @Singleton
    @Unremovable
    ServiceKeys serviceKeys(IdentityConfig config) {
        return ServiceKeys.open(Path.of(config.keyDir()), config.service(), config.generateMissing());
    }

    @Produces
    @Singleton
    @Unremovable
    ServiceTokens serviceTokens(ServiceKeys keys, IdentityConfig config) {
        return new ServiceTokens(keys, config.issuer(), config.tokenTtl());
    }

    @Produces
    @Singleton
    @Unremovable
    ServiceTokenVerifier serviceTokenVerifier(ServiceKeys keys, IdentityConfig config) {
        return new ServiceTokenVerifier(keys, config.issuer(), config.service());
    }
}
