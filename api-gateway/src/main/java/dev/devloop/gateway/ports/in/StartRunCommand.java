package dev.devloop.gateway.ports.in;

import dev.devloop.gateway.domain.Caller;
import java.util.Objects;

/**
 * A client's request to run a task on an agent type or agent id; the body is kept as received.
 *
 * @param caller the authenticated client
 * @param agentRef an agent type (a new agent) or an existing agent id
 * @param waitForResult whether agent-service answers only once the run has finished
 * @param body the raw JSON body the client sent
 */
public record StartRunCommand(Caller caller, String agentRef, boolean waitForResult, byte[] body) {
  public StartRunCommand {
    Objects.requireNonNull(caller, "caller");
    ResourceIds.require("ref", agentRef);
    body = body == null ? new byte[0] : body.clone();
  }

  @Override
  public byte[] body() {
    return body.clone();
  }
}
