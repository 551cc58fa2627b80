package dev.devloop.knowledge.support;

import dev.devloop.contracts.provider.GenerateRequest;
import dev.devloop.contracts.provider.GenerateResponse;
import dev.devloop.contracts.provider.Usage;
import dev.devloop.knowledge.ports.out.DependencyUnavailableException;
import dev.devloop.knowledge.ports.out.GenerationPort;
import java.util.ArrayList;
import java.util.List;

/** In-memory stand-in for provider-gateway: records requests, answers with a given text, or is "down". */
public class InMemoryGeneration implements GenerationPort {
    public final List<GenerateRequest> requests = new ArrayList<>();
    public String answer = "An answer [1].";
    public boolean down;

    @Override
    public GenerateResponse generate(String tenant, GenerateRequest request) {
        requests.add(request);
        if (down) {
            throw new DependencyUnavailableException("provider-unavailable", "provider-gateway is unreachable.", null);
        }
        String provider = request.provider() == null ? "openai" : request.provider();
        return new GenerateResponse(
                answer,
                null,
                new Usage(120, 8, 128),
                request.model() == null ? "m" : request.model(),
                provider,
                "stop",
                false,
                3);
    }
}
