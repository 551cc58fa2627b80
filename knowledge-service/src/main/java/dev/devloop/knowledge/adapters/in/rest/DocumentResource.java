package dev.devloop.knowledge.adapters.in.rest;

import dev.devloop.contracts.Headers;
import dev.devloop.contracts.Tenants;
import dev.devloop.contracts.problem.ProblemException;
import dev.devloop.knowledge.adapters.in.rest.RetrievalViews.DocumentView;
import dev.devloop.knowledge.adapters.in.rest.RetrievalViews.DocumentWrite;
import dev.devloop.knowledge.ports.in.DocumentUseCase;
import dev.devloop.knowledge.ports.in.IngestDocumentCommand;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/** REST adapter of documents: {@code /documents}. */
@Path("/documents")
@Produces(MediaType.APPLICATION_JSON)
public class DocumentResource {
  private final DocumentUseCase documents;

  public DocumentResource(DocumentUseCase documents) {
    this.documents = documents;
  }

  @POST
  @Consumes(MediaType.APPLICATION_JSON)
  public DocumentView ingest(@HeaderParam(Headers.TENANT) String tenant, DocumentWrite body) {
    String checkedTenant = Tenants.require(tenant);
    if (body == null) {
      throw ProblemException.badRequest("text", "a body with title and text is required");
    }
    return DocumentView.of(documents.ingest(new IngestDocumentCommand(checkedTenant, body.id(), body.title(),
        body.text(), body.contentType(), body.metadata())));
  }

  @GET
  @Path("/{id}")
  public DocumentView get(@HeaderParam(Headers.TENANT) String tenant, @PathParam("id") String id) {
    return DocumentView.of(documents.get(Tenants.require(tenant), id));
  }

  @DELETE
  @Path("/{id}")
  public Response delete(@HeaderParam(Headers.TENANT) String tenant, @PathParam("id") String id) {
    documents.delete(Tenants.require(tenant), id);
    return Response.noContent().build();
  }
}
