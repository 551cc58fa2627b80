package dev.devloop.tools.ports.in;

import dev.devloop.tools.domain.InvocationResult;

/** Incoming port: check, validate, execute and audit one tool call. */
public interface InvokeToolUseCase {
  InvocationResult invoke(InvokeToolCommand command);
}
