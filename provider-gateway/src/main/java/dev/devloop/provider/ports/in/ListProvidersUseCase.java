package dev.devloop.provider.ports.in;

import java.util.List;

/** Incoming port: the providers the gateway knows, for {@code /v1/providers} and {@code /v1/models}. */
public interface ListProvidersUseCase {

  List<ProviderView> providers();
}
