package dev.devloop.provider.ports.in;

import dev.devloop.provider.domain.Route;
import java.util.List;
import java.util.Map;

/** Incoming port: the providers the gateway knows, for {@code /v1/providers} and {@code /v1/models}. */
public interface ListProvidersUseCase {

    List<ProviderView> providers();

    /** Model aliases and their fallback chains, in configuration order. */
    Map<String, List<Route>> aliases();
}
