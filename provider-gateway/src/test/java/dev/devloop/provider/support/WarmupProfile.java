package dev.devloop.provider.support;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Map;

/** Boots the gateway with its start-up warm-up on (the other tests turn it off), bounded to a few calls. */
public class WarmupProfile implements QuarkusTestProfile {
    public static final int ITERATIONS = 40;

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of(
                "devloop.provider.warmup.enabled",
                "true",
                "devloop.provider.warmup.iterations",
                String.valueOf(ITERATIONS),
                "devloop.provider.warmup.max-duration",
                "60s");
    }
}
