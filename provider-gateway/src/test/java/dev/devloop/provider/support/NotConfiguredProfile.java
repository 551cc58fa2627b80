package dev.devloop.provider.support;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Map;

/** Boots the gateway with no OpenAI key and no base URL, whatever the environment says. */
public class NotConfiguredProfile implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of(
                "devloop.provider.openai.api-key",
                "",
                "devloop.provider.openai.base-url",
                "",
                "devloop.provider.vertex.project",
                "",
                "devloop.provider.vertex.access-token",
                "",
                "devloop.provider.vertex.credentials-file",
                "",
                // an instance declared without its base URL boots and answers 503 naming the key
                "devloop.provider.instances.lan.default-model",
                "llama3.2");
    }
}
