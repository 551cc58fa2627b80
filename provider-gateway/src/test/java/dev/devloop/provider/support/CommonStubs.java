package dev.devloop.provider.support;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The stubs most test classes share as one resource set, so they share one augmentation and one application start:
 * {@link OpenAiStub} (the default provider), {@link VertexServiceAccountStub} (Vertex through a key file) and
 * {@link TinyLocalModel} (the in-process {@code local} provider). Their keys do not overlap; each class still stubs
 * per unique model name or uses its own provider, so none depends on another's calls.
 */
public class CommonStubs implements QuarkusTestResourceLifecycleManager {
    private final List<QuarkusTestResourceLifecycleManager> parts =
            List.of(new OpenAiStub(), new VertexServiceAccountStub(), new TinyLocalModel());

    @Override
    public Map<String, String> start() {
        Map<String, String> config = new HashMap<>();
        for (QuarkusTestResourceLifecycleManager part : parts) {
            config.putAll(part.start());
        }
        return config;
    }

    @Override
    public void stop() {
        for (QuarkusTestResourceLifecycleManager part : parts) {
            part.stop();
        }
    }
}
