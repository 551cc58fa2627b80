package dev.devloop.tools.ports.in;

/** Incoming port: check, validate, execute and audit one tool call. */
public interface InvokeToolUseCase {
    InvocationResult invoke(InvokeToolCommand command);
}
