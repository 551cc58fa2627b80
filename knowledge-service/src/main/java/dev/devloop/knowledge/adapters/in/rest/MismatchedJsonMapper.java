package dev.devloop.knowledge.adapters.in.rest;

import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import dev.devloop.contracts.problem.ProblemExceptionMappers;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

/**
 * Maps a body whose JSON has the wrong shape (e.g. {@code "ttlSeconds": "soon"}) to problem+json
 * naming the field; Quarkus' built-in mapper for this exception would otherwise answer plain JSON.
 */
@Provider
public class MismatchedJsonMapper implements ExceptionMapper<MismatchedInputException> {
  private final ProblemExceptionMappers.OfJson delegate = new ProblemExceptionMappers.OfJson();

  @Override
  public Response toResponse(MismatchedInputException e) {
    return delegate.toResponse(e);
  }
}
