package dev.devloop.knowledge.adapters.in.rest;

import dev.devloop.contracts.identity.Caller;
import dev.devloop.contracts.problem.ProblemException;
import dev.devloop.knowledge.adapters.in.rest.RetrievalViews.HitView;
import dev.devloop.knowledge.adapters.in.rest.RetrievalViews.SearchRequest;
import dev.devloop.knowledge.adapters.in.rest.RetrievalViews.SearchResponse;
import dev.devloop.knowledge.ports.in.SearchCommand;
import dev.devloop.knowledge.ports.in.SearchUseCase;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.Locale;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** REST adapter of chunk search: {@code POST /search}. */
@Tag(name = "Search", description = "Vector, keyword or hybrid search over chunks")
@Path("/search")
@Produces(MediaType.APPLICATION_JSON)
public class SearchResource {
    private final SearchUseCase search;

    private final Caller caller;

    public SearchResource(Caller caller, SearchUseCase search) {
        this.caller = caller;
        this.search = search;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Search chunks by vector, keyword or both")
    @APIResponse(responseCode = "200", description = "The hits, best first")
    public SearchResponse search(SearchRequest body) {
        String tenant = caller.tenant();
        if (body == null) {
            throw ProblemException.badRequest("query", "a body with a query is required");
        }
        Double vector = body.weights() == null ? null : body.weights().vector();
        Double keyword = body.weights() == null ? null : body.weights().keyword();
        var hits = search.search(new SearchCommand(
                tenant, body.query(), body.mode(), body.limit(), body.filters(), vector, keyword, body.fusion()));
        String mode = body.mode() == null ? "hybrid" : body.mode().toLowerCase(Locale.ROOT);
        return new SearchResponse(mode, hits.stream().map(HitView::of).toList());
    }
}
