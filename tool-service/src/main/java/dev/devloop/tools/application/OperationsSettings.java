package dev.devloop.tools.application;

import dev.devloop.tools.domain.SettingSpec;
import java.net.URI;
import java.util.Map;
import java.util.Set;

/**
 * What the repair tools may act on: caches by name (the owner's endpoint and method), settings by key
 * (the owner's endpoint and the setting's type), the services the runner may restart, provider-gateway's
 * circuit-reset endpoint ({@code {provider}} stands for the provider's name; {@code circuitOwner} is the service
 * serving it) and who may take platform-wide actions. Every endpoint names its owning service: the audience of
 * the call's credential.
 */
public record OperationsSettings(
        Set<String> operatorTenants,
        long timeoutMs,
        int maxAnswerBytes,
        Map<String, Endpoint> caches,
        Map<String, Setting> settings,
        Set<String> restartable,
        String self,
        long restartCooldownMs,
        long restartWaitMs,
        String circuitResetUrl,
        String circuitOwner) {
    /** An owner's endpoint: the owning Devloop service, HTTP method and URL. */
    public record Endpoint(String owner, String method, URI url) {}

    /** A setting update_config may change and where its owner accepts it. */
    public record Setting(SettingSpec spec, Endpoint endpoint) {}

    public OperationsSettings {
        operatorTenants = Set.copyOf(operatorTenants);
        caches = Map.copyOf(caches);
        settings = Map.copyOf(settings);
        restartable = Set.copyOf(restartable);
    }
}
