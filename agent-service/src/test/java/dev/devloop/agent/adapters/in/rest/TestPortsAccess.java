package dev.devloop.agent.adapters.in.rest;

import dev.devloop.agent.support.ScriptedModel;
import io.quarkus.arc.Arc;

/** Lets tests in other packages reach the in-process scripted model of {@link TestPorts}. */
public final class TestPortsAccess {
    public static ScriptedModel model() {
        return Arc.container().instance(TestPorts.Model.class).get();
    }

    private TestPortsAccess() {}
}
