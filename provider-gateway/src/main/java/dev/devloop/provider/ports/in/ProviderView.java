package dev.devloop.provider.ports.in;

import java.util.List;

/** What the gateway tells clients about one provider: configuration, models, circuit state, bulkhead. */
public record ProviderView(
        String name,
        boolean configured,
        boolean defaultProvider,
        String defaultModel,
        List<String> models,
        String circuit,
        Bulkhead bulkhead) {

    /** The provider's bulkhead: its size and the calls in flight now. */
    public record Bulkhead(int maxConcurrent, int inFlight) {}
}
