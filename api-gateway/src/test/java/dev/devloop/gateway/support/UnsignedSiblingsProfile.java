package dev.devloop.gateway.support;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Map;

/**
 * The upgrade mode of issue #17 for tests driving the packaged sibling jars ({@link RealServices}) end to end: jars
 * built before their producers signed their records still feed the live stream. Signed records are verified as
 * always; remove the profile once every sibling signs what it produces.
 */
public class UnsignedSiblingsProfile implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("devloop.events.require-signature", "false");
    }
}
