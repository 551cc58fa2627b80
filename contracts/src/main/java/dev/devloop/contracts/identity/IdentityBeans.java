package dev.devloop.contracts.identity;

import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.nio.file.Path;

/** The identity objects of this service, built once from {@link IdentityConfig}. */
public class IdentityBeans {
    @Produces
    @Singleton
    ServiceKeys serviceKeys(IdentityConfig config) {
        return ServiceKeys.open(Path.of(config.keyDir()), config.service(), config.generateMissing());
    }

    @Produces
    @Singleton
    ServiceTokens serviceTokens(ServiceKeys keys, IdentityConfig config) {
        return new ServiceTokens(keys, config.issuer(), config.tokenTtl());
    }

    @Produces
    @Singleton
    ServiceTokenVerifier serviceTokenVerifier(ServiceKeys keys, IdentityConfig config) {
        return new ServiceTokenVerifier(keys, config.issuer(), config.service());
    }
}
