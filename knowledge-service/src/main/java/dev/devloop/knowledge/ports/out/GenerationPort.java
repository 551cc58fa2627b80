package dev.devloop.knowledge.ports.out;

import dev.devloop.contracts.provider.GenerateRequest;
import dev.devloop.contracts.provider.GenerateResponse;

/**
 * Outgoing port to a model through provider-gateway. Throws {@link DependencyUnavailableException}
 * when the gateway is down, too slow or its circuit is open.
 */
public interface GenerationPort {
    GenerateResponse generate(String tenant, GenerateRequest request);
}
