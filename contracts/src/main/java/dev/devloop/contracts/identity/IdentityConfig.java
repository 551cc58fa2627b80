package dev.devloop.contracts.identity;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Service-to-service identity: every internal hop carries a short-lived ES256 token this service signs for the
 * target service (audience), and every service verifies the tokens it receives against the cell's key set.
 */
@ConfigMapping(prefix = "devloop.identity")
public interface IdentityConfig {
    /** This service's name: the audience its inbound tokens must name and the {@code azp} of the tokens it signs. */
    String service();

    /**
     * Holds {@code <service>.jwk.json} (this service's private signing key) and {@code jwks.json} (the public keys
     * the cell trusts). Both are re-read when they change, so keys rotate without a restart.
     */
    @WithDefault("${DEVLOOP_IDENTITY_DIR:${user.home}/.devloop/identity}")
    String keyDir();

    /**
     * Creates this service's key and publishes it to {@code jwks.json} when missing: for one machine (dev, tests,
     * {@code deploy/devloop}). Off in production, where the keys come from a mounted secret.
     */
    @WithDefault("${DEVLOOP_IDENTITY_GENERATE:false}")
    boolean generateMissing();

    /** The {@code iss} of every internal token: the cell. */
    @WithDefault("devloop-cell")
    String issuer();

    /** Lifetime of a signed token; a token is reused for half of it. */
    @WithDefault("60s")
    Duration tokenTtl();

    /** Verify a credential on every inbound request; api-gateway turns this off (its callers bring public JWTs). */
    @WithDefault("true")
    boolean inbound();

    /**
     * The TLS client certificate an internal call presents ({@link ClientCertificates}): {@code required} in a cell
     * with mTLS (the chart's {@code tls.mtls}), {@code optional} (the default) checks one only when it is sent.
     * Open paths never need one.
     */
    @WithDefault("${DEVLOOP_IDENTITY_CLIENT_CERTIFICATE:optional}")
    ClientCertificates.Mode clientCertificate();

    /**
     * The TLS registry configuration ({@code quarkus.tls.<name>.*}) the service's own HTTP clients — those that are
     * not Quarkus REST clients — use for the cell's mTLS: their client certificate and the cell's CA. Unset: plain.
     */
    @WithDefault("${DEVLOOP_TLS_CONFIGURATION:}")
    Optional<String> tlsConfiguration();

    /** Path prefixes served without a credential (health, metrics, OpenAPI). */
    @WithDefault("/q/")
    List<String> openPaths();

    /**
     * Path prefixes whose refusals use OpenAI's error shape ({@code {"error":{...}}}) instead of problem+json, so
     * the official SDKs show the reason (provider-gateway's {@code /v1/}).
     */
    Optional<List<String>> openAiErrorPaths();
}
