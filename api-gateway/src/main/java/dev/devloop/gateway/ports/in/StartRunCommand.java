package dev.devloop.gateway.ports.in;

import dev.devloop.contracts.Headers;
import dev.devloop.contracts.problem.Refusal;
import dev.devloop.gateway.domain.Caller;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A client's request to run a task on an agent type or agent id; the body is kept as received.
 *
 * @param caller the authenticated client
 * @param agentRef an agent type (a new agent) or an existing agent id
 * @param waitForResult whether agent-service answers only once the run has finished
 * @param body the raw JSON body the client sent
 * @param idempotencyKey the client's {@code Idempotency-Key}, or {@code null}
 */
public record StartRunCommand(
        Caller caller, String agentRef, boolean waitForResult, byte[] body, String idempotencyKey) {
    /** Longest accepted Idempotency-Key. */
    public static final int MAX_IDEMPOTENCY_KEY_LENGTH = 255;

    private static final Pattern KEY = Pattern.compile("[\\x21-\\x7E]{1," + MAX_IDEMPOTENCY_KEY_LENGTH + "}");

    public StartRunCommand {
        Objects.requireNonNull(caller, "caller");
        ResourceIds.require("ref", agentRef);
        body = body == null ? new byte[0] : body.clone();
        if (idempotencyKey != null && !KEY.matcher(idempotencyKey).matches()) {
            throw Refusal.invalid(
                    Headers.IDEMPOTENCY_KEY,
                    Headers.IDEMPOTENCY_KEY + " must be 1 to " + MAX_IDEMPOTENCY_KEY_LENGTH
                            + " visible ASCII characters");
        }
    }

    @Override
    public byte[] body() {
        return body.clone();
    }
}
