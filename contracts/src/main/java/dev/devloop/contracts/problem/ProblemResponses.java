package dev.devloop.contracts.problem;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.ws.rs.core.Response;

/** Builds problem+json responses; serialises itself so the media type never depends on a writer. */
public final class ProblemResponses {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    public static Response of(Problem problem) {
        String body;
        try {
            body = MAPPER.writeValueAsString(problem);
        } catch (JsonProcessingException e) {
            body = "{\"status\":" + problem.status() + "}";
        }
        return Response.status(problem.status())
                .type(Problem.MEDIA_TYPE)
                .entity(body)
                .build();
    }

    private ProblemResponses() {}
}
