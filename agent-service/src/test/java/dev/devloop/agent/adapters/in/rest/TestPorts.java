package dev.devloop.agent.adapters.in.rest;

import dev.devloop.agent.support.RecordingTools;
import dev.devloop.agent.support.ScriptedModel;
import io.quarkus.test.Mock;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

/**
 * In-process stand-ins for the model and tool ports, so these tests exercise agent-service's own REST,
 * MongoDB and Kafka adapters; the real provider-gateway and tool-service hops are the scenarios' job.
 */
final class TestPorts {

  @Mock
  @ApplicationScoped
  static class Model extends ScriptedModel {}

  @Mock
  @ApplicationScoped
  static class Tools extends RecordingTools {
    Tools() {
      super(List.of("assistant", "gated_writer", "guard_block", "guard_warn", "guard_log", "versioned", "gated_ender"));
    }
  }

  private TestPorts() {}
}
