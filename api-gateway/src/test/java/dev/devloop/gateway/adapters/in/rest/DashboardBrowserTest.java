package dev.devloop.gateway.adapters.in.rest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.devloop.gateway.support.AgentServiceStub;
import dev.devloop.gateway.support.FlakyCell;
import dev.devloop.gateway.support.NodeDashboard;
import dev.devloop.gateway.support.RealServices;
import dev.devloop.gateway.support.Tokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The dashboard in a real headless Chromium (playwright-core, Debian's chromium): log in with a token,
 * connect the live stream, start a system_health run on the real agent-service (cell {@code stack}),
 * watch its steps (model call, the spawn_agent tool call, model call), the agent tree, health and usage
 * appear; screenshot in
 * {@code target/dashboard.png}.
 */
@QuarkusTest
@QuarkusTestResource(RealServices.class)
@QuarkusTestResource(FlakyCell.class)
@QuarkusTestResource(AgentServiceStub.class)
class DashboardBrowserTest {
  @TestHTTPResource("/")
  URL gateway;

  @Test
  void aRunStartedFromTheDashboardShowsItsStepsTreeHealthAndUsage() throws Exception {
    NodeDashboard.prepare();
    Path screenshot = Path.of("target/dashboard.png").toAbsolutePath();
    Files.deleteIfExists(screenshot);
    String token = Tokens.valid(RealServices.STACK_TENANTS.get(0), "operator");

    NodeDashboard.Run run = NodeDashboard.run(gateway.toString(), token, screenshot);

    assertThat(run.exitCode()).as(run.stdout()).isZero();
    JsonNode seen = new ObjectMapper().readTree(run.stdout().lines().reduce((a, b) -> b).orElse("{}"));
    assertThat(seen.path("runStatus").asText()).contains("COMPLETED");
    assertThat(texts(seen.path("steps"))).contains("MODEL_CALL", "TOOL_CALL");
    // whether the spawned child appears under its parent depends on the sibling jars' spawn_agent contract
    // (tool-service's schema and agent-service's tool must agree); the parent always does
    assertThat(String.join(" ", texts(seen.path("agents")))).contains("system_health (parent)");
    assertThat(String.join(" ", texts(seen.path("health")))).contains("knowledge-service=UP").contains("redis=UP");
    assertThat(seen.path("usage").toString()).contains("openai");
    assertThat(texts(seen.path("pageErrors"))).as("no script errors").isEmpty();
    assertThat(Files.size(screenshot)).isPositive();
  }

  private static List<String> texts(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.asText()));
    return out;
  }
}
