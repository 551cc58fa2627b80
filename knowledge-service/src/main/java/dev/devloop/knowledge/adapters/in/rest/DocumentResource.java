package dev.devloop.knowledge.adapters.in.rest;

import dev.devloop.contracts.identity.Caller;
import dev.devloop.contracts.problem.Problem;
import dev.devloop.contracts.problem.ProblemException;
import dev.devloop.knowledge.adapters.in.rest.RetrievalViews.BatchView;
import dev.devloop.knowledge.adapters.in.rest.RetrievalViews.BatchWrite;
import dev.devloop.knowledge.adapters.in.rest.RetrievalViews.DocumentView;
import dev.devloop.knowledge.adapters.in.rest.RetrievalViews.DocumentWrite;
import dev.devloop.knowledge.ports.in.DocumentUseCase;
import dev.devloop.knowledge.ports.in.IngestBatchCommand;
import dev.devloop.knowledge.ports.in.IngestDocumentCommand;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** REST adapter of documents: {@code /documents}. */
@Tag(name = "Documents", description = "Documents split into embedded chunks")
@Path("/documents")
@Produces(MediaType.APPLICATION_JSON)
public class DocumentResource {
    private final DocumentUseCase documents;

    private final Caller caller;

    public DocumentResource(Caller caller, DocumentUseCase documents) {
        this.caller = caller;
        this.documents = documents;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Ingest a JSON document: split, embed and index it")
    @APIResponse(responseCode = "200", description = "The stored document")
    @APIResponse(
            responseCode = "413",
            description = "The body is larger than accepted",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public DocumentView ingest(DocumentWrite body) {
        String tenant = caller.tenant();
        if (body == null) {
            throw ProblemException.badRequest("text", "a body with title and text is required");
        }
        return DocumentView.of(documents.ingest(new IngestDocumentCommand(
                tenant, body.id(), body.title(), body.text(), body.contentType(), body.metadata())));
    }

    /**
     * Ingests up to {@code batch-max-documents} documents in one store transaction. 200 with one outcome per document
     * even when some are rejected (each rejection carries its problem, naming {@code documents[i].<field>}); the whole
     * batch is refused only when it is empty (400) or above its bounds (413).
     */
    @POST
    @Path("/batch")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Ingest a batch of JSON documents in one transaction; one outcome per document")
    @APIResponse(
            responseCode = "200",
            description = "Each document created, replaced, unchanged or rejected, in request order",
            content =
                    @Content(
                            mediaType = MediaType.APPLICATION_JSON,
                            schema = @Schema(implementation = BatchView.class)))
    @APIResponse(
            responseCode = "413",
            description = "More documents, text bytes or chunks than one batch accepts",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public BatchView ingestBatch(BatchWrite body) {
        String tenant = caller.tenant();
        if (body == null || body.documents() == null) {
            throw ProblemException.badRequest("documents", "a body with a documents array is required");
        }
        List<IngestDocumentCommand> commands = new ArrayList<>(body.documents().size());
        for (DocumentWrite d : body.documents()) {
            commands.add(
                    d == null
                            ? null
                            : new IngestDocumentCommand(
                                    tenant, d.id(), d.title(), d.text(), d.contentType(), d.metadata()));
        }
        return BatchView.of(documents.ingestBatch(new IngestBatchCommand(tenant, commands)));
    }

    /**
     * Ingests a plain-text or Markdown file sent as the body ({@code Content-Type: text/plain} or
     * {@code text/markdown}); {@code title} from the query, every other query parameter a string metadata entry.
     */
    @PUT
    @Path("/{id}")
    @Consumes({MediaType.TEXT_PLAIN, "text/markdown"})
    @Operation(summary = "Ingest a plain-text or Markdown file")
    @APIResponse(responseCode = "200", description = "The stored document")
    @APIResponse(
            responseCode = "413",
            description = "The body is larger than accepted",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public DocumentView ingestFile(
            @PathParam("id") String id,
            @QueryParam("title") String title,
            @Context HttpHeaders headers,
            @Context UriInfo uri,
            String text) {
        String tenant = caller.tenant();
        MediaType type = headers.getMediaType();
        String contentType = type == null ? MediaType.TEXT_PLAIN : type.getType() + "/" + type.getSubtype();
        Map<String, Object> metadata = new LinkedHashMap<>();
        for (Map.Entry<String, List<String>> e : uri.getQueryParameters().entrySet()) {
            if (!e.getKey().equals("title")) {
                if (e.getValue().size() != 1) {
                    throw ProblemException.badRequest("metadata." + e.getKey(), "a metadata entry is given once");
                }
                metadata.put(e.getKey(), e.getValue().get(0));
            }
        }
        return DocumentView.of(
                documents.ingest(new IngestDocumentCommand(tenant, id, title, text, contentType, metadata)));
    }

    @GET
    @Path("/{id}")
    @Operation(summary = "Read a document without its text")
    @APIResponse(responseCode = "200", description = "The document")
    @APIResponse(
            responseCode = "404",
            description = "Nothing of that id for this tenant",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public DocumentView get(@PathParam("id") String id) {
        String tenant = caller.tenant();
        return DocumentView.of(documents.get(tenant, id));
    }

    @DELETE
    @Path("/{id}")
    @Operation(summary = "Delete a document and its chunks")
    @APIResponse(responseCode = "204", description = "Deleted with its chunks")
    @APIResponse(
            responseCode = "404",
            description = "Nothing of that id for this tenant",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Response delete(@PathParam("id") String id) {
        String tenant = caller.tenant();
        documents.delete(tenant, id);
        return Response.noContent().build();
    }
}
