package dev.devloop.provider.ports.in;

import java.util.List;

/** What the gateway tells clients about one provider: configuration, models, circuit state. */
public record ProviderView(
    String name, boolean configured, boolean defaultProvider, String defaultModel, List<String> models, String circuit) {}
