package dev.devloop.knowledge.adapters.in.rest;

import dev.devloop.contracts.identity.Caller;
import dev.devloop.contracts.problem.ProblemException;
import dev.devloop.knowledge.adapters.in.rest.RetrievalViews.RagRequest;
import dev.devloop.knowledge.adapters.in.rest.RetrievalViews.RagView;
import dev.devloop.knowledge.ports.in.RagAnswer;
import dev.devloop.knowledge.ports.in.RagQueryCommand;
import dev.devloop.knowledge.ports.in.RagUseCase;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** REST adapter of retrieval-augmented generation: {@code POST /rag/query}. */
@Tag(name = "RAG", description = "Retrieval-augmented answers through provider-gateway")
@Path("/rag")
@Produces(MediaType.APPLICATION_JSON)
public class RagResource {
    private final RagUseCase rag;

    private final Caller caller;

    public RagResource(Caller caller, RagUseCase rag) {
        this.caller = caller;
        this.rag = rag;
    }

    @POST
    @Path("/query")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Answer a question from the tenant's documents")
    @APIResponse(responseCode = "200", description = "The answer and its sources")
    public RagView query(RagRequest body) {
        String tenant = caller.tenant();
        if (body == null) {
            throw ProblemException.badRequest("question", "a body with a question is required");
        }
        RagAnswer answer = rag.answer(
                new RagQueryCommand(tenant, body.question(), body.limit(), body.mode(), body.provider(), body.model()));
        return new RagView(answer.answer(), answer.sources(), answer.usage(), answer.provider(), answer.model());
    }
}
