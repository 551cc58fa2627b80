package dev.devloop.agent.ports.out;

import dev.devloop.contracts.provider.GenerateRequest;
import dev.devloop.contracts.provider.GenerateResponse;

/** Outgoing port to the models, through provider-gateway. Throws {@link DownstreamException}. */
public interface ModelPort {
    GenerateResponse generate(String tenant, GenerateRequest request);
}
