package dev.devloop.contracts.problem;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.ws.rs.core.Response;

/** Builds problem+json responses; serialises itself so the media type never depends on a writer. */
public final class ProblemResponses {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    public static Response of(Problem problem) {
        return Response.status(problem.status())
                .type(Problem.MEDIA_TYPE)
                .entity(json(problem))
                .build();
    }

    /** The problem as its JSON body, for places that write a response without JAX-RS. */
    public static String json(Problem problem) {
        try {
            return MAPPER.writeValueAsString(problem);
        } catch (JsonProcessingException e) {
            return "{\"status\":" + problem.status() + "}";
        }
    }

    private ProblemResponses() {}
}
