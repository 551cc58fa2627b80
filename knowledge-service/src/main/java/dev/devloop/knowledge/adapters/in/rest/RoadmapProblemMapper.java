package dev.devloop.knowledge.adapters.in.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.devloop.contracts.problem.Problem;
import dev.devloop.contracts.problem.ProblemResponses;
import dev.devloop.knowledge.application.roadmap.RoadmapProblem;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

/** Roadmap problems: the RFC 9457 body plus their extension members ({@code cycle}, {@code from}, …). */
@Provider
public class RoadmapProblemMapper implements ExceptionMapper<RoadmapProblem> {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    public Response toResponse(RoadmapProblem e) {
        Problem problem = e.problem();
        ObjectNode body = JSON.valueToTree(problem);
        e.extensions().forEach((k, v) -> body.set(k, JSON.valueToTree(v)));
        try {
            return Response.status(problem.status())
                    .type(Problem.MEDIA_TYPE)
                    .entity(JSON.writeValueAsString(body))
                    .build();
        } catch (JsonProcessingException ex) {
            return ProblemResponses.of(problem);
        }
    }
}
