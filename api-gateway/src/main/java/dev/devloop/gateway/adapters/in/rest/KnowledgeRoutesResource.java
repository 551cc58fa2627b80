package dev.devloop.gateway.adapters.in.rest;

import static dev.devloop.gateway.adapters.in.rest.PathSegments.params;
import static dev.devloop.gateway.adapters.in.rest.PathSegments.query;
import static dev.devloop.gateway.adapters.in.rest.PathSegments.segment;

import dev.devloop.contracts.Headers;
import dev.devloop.gateway.config.GatewayConfig;
import dev.devloop.gateway.domain.HopRequest;
import dev.devloop.gateway.domain.Roles;
import dev.devloop.gateway.domain.Service;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.common.annotation.NonBlocking;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * knowledge-service under {@code /api/v1}: facts, entities, relationships, documents, search, RAG, agent trees.
 * One JAX-RS method per route (so roles, parameters and the OpenAPI document stay typed); what each forwards is
 * one line: reads are rows of {@link KnowledgeReads}, writes go through {@link #send} with a {@link Kind}.
 */
@Path("/api/v1")
// Writes block: the Idempotency-Key protocol claims and completes keys with the blocking Redis client and the
// hop waits for the answer on this worker. Reads (@GET) are @NonBlocking and run on the event loop end to end.
@Blocking
@Tag(
        name = "knowledge-service",
        description = "Facts, entities, relationships, documents, search and RAG (forwarded to knowledge-service)")
public class KnowledgeRoutesResource {
    private static final Service K = Service.KNOWLEDGE;
    private final ServiceRoutes routes;
    private final GatewayConfig config;

    public KnowledgeRoutesResource(ServiceRoutes routes, GatewayConfig config) {
        this.routes = routes;
        this.config = config;
    }

    @Operation(summary = "Assert a fact")
    @APIResponse(
            responseCode = "200",
            description = "the service's answer, passed through (its schema: /api/v1/openapi)")
    @PUT
    @Path("/facts/{entity}/{attribute}")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed({Roles.OPERATOR, Roles.ADMIN})
    public Response putFact(@PathParam("entity") String entity, @PathParam("attribute") String attribute, byte[] body) {
        return routes.call(
                "facts.put",
                "PUT /api/v1/facts/{entity}/{attribute}",
                send("PUT", factPath(entity, attribute), body, Kind.RETRIED),
                ServiceRoutes.asIs());
    }

    @Operation(summary = "Read a fact")
    @APIResponse(
            responseCode = "200",
            description = "the service's answer, passed through (its schema: /api/v1/openapi)")
    @GET
    @NonBlocking // the event-loop fast path: non-blocking Redis rate limit and Vert.x hop
    @Path("/facts/{entity}/{attribute}")
    @RolesAllowed({Roles.VIEWER, Roles.OPERATOR, Roles.ADMIN})
    public Uni<Response> getFact(
            @PathParam("entity") String entity,
            @PathParam("attribute") String attribute,
            @QueryParam("fields") String fields) {
        return KnowledgeReads.FACT.read(routes, null, ServiceRoutes.item(fields), entity, attribute);
    }

    @Operation(summary = "Retract a fact")
    @APIResponse(responseCode = "204", description = "retracted")
    @DELETE
    @Path("/facts/{entity}/{attribute}")
    @RolesAllowed({Roles.OPERATOR, Roles.ADMIN})
    public Response deleteFact(@PathParam("entity") String entity, @PathParam("attribute") String attribute) {
        return routes.call(
                "facts.delete",
                "DELETE /api/v1/facts/{entity}/{attribute}",
                send("DELETE", factPath(entity, attribute), null, Kind.RETRIED),
                ServiceRoutes.asIs());
    }

    @Operation(summary = "List an entity's facts")
    @APIResponse(
            responseCode = "200",
            description = "the service's answer, passed through (its schema: /api/v1/openapi)")
    @GET
    @NonBlocking // the event-loop fast path: non-blocking Redis rate limit and Vert.x hop
    @Path("/facts/{entity}")
    @RolesAllowed({Roles.VIEWER, Roles.OPERATOR, Roles.ADMIN})
    public Uni<Response> listFacts(
            @PathParam("entity") String entity,
            @QueryParam("fields") String fields,
            @QueryParam("limit") Integer limit,
            @QueryParam("cursor") String cursor) {
        return KnowledgeReads.FACTS.read(routes, null, list(fields, limit, cursor, Integer.MAX_VALUE), entity);
    }

    @Operation(summary = "Create or update an entity")
    @APIResponse(
            responseCode = "200",
            description = "the service's answer, passed through (its schema: /api/v1/openapi)")
    @POST
    @Path("/entities")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed({Roles.OPERATOR, Roles.ADMIN})
    public Response upsertEntity(@HeaderParam(Headers.IDEMPOTENCY_KEY) String key, byte[] body) {
        // knowledge-service embeds each entity as it is written: the long bound applies
        return longPost("entities.write", "/entities", key, body);
    }

    @Operation(summary = "List entities")
    @APIResponse(
            responseCode = "200",
            description = "the service's answer, passed through (its schema: /api/v1/openapi)")
    @GET
    @NonBlocking // the event-loop fast path: non-blocking Redis rate limit and Vert.x hop
    @Path("/entities")
    @RolesAllowed({Roles.VIEWER, Roles.OPERATOR, Roles.ADMIN})
    public Uni<Response> listEntities(
            @QueryParam("type") String type,
            @QueryParam("fields") String fields,
            @QueryParam("limit") Integer limit,
            @QueryParam("cursor") String cursor) {
        return KnowledgeReads.ENTITIES.read(
                routes, byType(type), new ServiceRoutes.Shape.Keyset(fields, limit, cursor));
    }

    @Operation(summary = "Read an entity")
    @APIResponse(
            responseCode = "200",
            description = "the service's answer, passed through (its schema: /api/v1/openapi)")
    @GET
    @NonBlocking // the event-loop fast path: non-blocking Redis rate limit and Vert.x hop
    @Path("/entities/{id}")
    @RolesAllowed({Roles.VIEWER, Roles.OPERATOR, Roles.ADMIN})
    public Uni<Response> entity(@PathParam("id") String id, @QueryParam("fields") String fields) {
        return KnowledgeReads.ENTITY.read(routes, null, ServiceRoutes.item(fields), id);
    }

    @Operation(summary = "Read an entity's neighbourhood")
    @APIResponse(
            responseCode = "200",
            description = "the service's answer, passed through (its schema: /api/v1/openapi)")
    @GET
    @NonBlocking // the event-loop fast path: non-blocking Redis rate limit and Vert.x hop
    @Path("/entities/{id}/neighbourhood")
    @RolesAllowed({Roles.VIEWER, Roles.OPERATOR, Roles.ADMIN})
    public Uni<Response> neighbourhood(@PathParam("id") String id, @QueryParam("depth") Integer depth) {
        return KnowledgeReads.NEIGHBOURHOOD.read(routes, query(params("depth", depth)), ServiceRoutes.asIs(), id);
    }

    @Operation(summary = "Relate two entities")
    @APIResponse(
            responseCode = "200",
            description = "the service's answer, passed through (its schema: /api/v1/openapi)")
    @POST
    @Path("/relationships")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed({Roles.OPERATOR, Roles.ADMIN})
    public Response relate(@HeaderParam(Headers.IDEMPOTENCY_KEY) String key, byte[] body) {
        return longPost("relationships.write", "/relationships", key, body);
    }

    @Operation(summary = "List relationships")
    @APIResponse(
            responseCode = "200",
            description = "the service's answer, passed through (its schema: /api/v1/openapi)")
    @GET
    @NonBlocking // the event-loop fast path: non-blocking Redis rate limit and Vert.x hop
    @Path("/relationships")
    @RolesAllowed({Roles.VIEWER, Roles.OPERATOR, Roles.ADMIN})
    public Uni<Response> relationships(
            @QueryParam("type") String type,
            @QueryParam("fields") String fields,
            @QueryParam("limit") Integer limit,
            @QueryParam("cursor") String cursor) {
        return KnowledgeReads.RELATIONSHIPS.read(
                routes, byType(type), new ServiceRoutes.Shape.Keyset(fields, limit, cursor));
    }

    @Operation(summary = "Ingest a document")
    @APIResponse(
            responseCode = "200",
            description = "the service's answer, passed through (its schema: /api/v1/openapi)")
    @POST
    @Path("/documents")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed({Roles.OPERATOR, Roles.ADMIN})
    public Response ingest(@HeaderParam(Headers.IDEMPOTENCY_KEY) String key, byte[] body) {
        return longPost("documents.write", "/documents", key, body);
    }

    @Operation(summary = "Ingest up to 100 documents in one transaction; one outcome per document")
    @APIResponse(
            responseCode = "200",
            description = "the service's answer, passed through (its schema: /api/v1/openapi)")
    @POST
    @Path("/documents/batch")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed({Roles.OPERATOR, Roles.ADMIN})
    public Response ingestBatch(@HeaderParam(Headers.IDEMPOTENCY_KEY) String key, byte[] body) {
        return routes.call(
                "documents.write",
                "POST /api/v1/documents/batch",
                send("POST", "/documents/batch", body, Kind.LONG),
                key,
                ServiceRoutes.asIs(),
                config.limits().maxImportBytes());
    }

    @Operation(summary = "Read a document")
    @APIResponse(
            responseCode = "200",
            description = "the service's answer, passed through (its schema: /api/v1/openapi)")
    @GET
    @NonBlocking // the event-loop fast path: non-blocking Redis rate limit and Vert.x hop
    @Path("/documents/{id}")
    @RolesAllowed({Roles.VIEWER, Roles.OPERATOR, Roles.ADMIN})
    public Uni<Response> document(@PathParam("id") String id, @QueryParam("fields") String fields) {
        return KnowledgeReads.DOCUMENT.read(routes, null, ServiceRoutes.item(fields), id);
    }

    @Operation(summary = "Delete a document")
    @APIResponse(responseCode = "204", description = "deleted")
    @DELETE
    @Path("/documents/{id}")
    @RolesAllowed({Roles.OPERATOR, Roles.ADMIN})
    public Response deleteDocument(@PathParam("id") String id) {
        return routes.call(
                "documents.delete",
                "DELETE /api/v1/documents/{id}",
                send("DELETE", "/documents/" + segment("id", id), null, Kind.RETRIED),
                ServiceRoutes.asIs());
    }

    /** Search is a read: retried like one. */
    @Operation(summary = "Search the knowledge base")
    @APIResponse(
            responseCode = "200",
            description = "the service's answer, passed through (its schema: /api/v1/openapi)")
    @POST
    @Path("/search")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed({Roles.VIEWER, Roles.OPERATOR, Roles.ADMIN})
    public Response search(byte[] body) {
        return routes.call(
                "search", "POST /api/v1/search", send("POST", "/search", body, Kind.RETRIED), ServiceRoutes.asIs());
    }

    /** RAG calls an LLM: long bound, never retried. */
    @Operation(summary = "Answer a question from the knowledge base (RAG)")
    @APIResponse(
            responseCode = "200",
            description = "the service's answer, passed through (its schema: /api/v1/openapi)")
    @POST
    @Path("/rag/query")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed({Roles.VIEWER, Roles.OPERATOR, Roles.ADMIN})
    public Response rag(@HeaderParam(Headers.IDEMPOTENCY_KEY) String key, byte[] body) {
        return longPost("rag", "/rag/query", key, body);
    }

    /** The agent tree as the knowledge graph mirrors it (parent → child → micro). */
    @Operation(summary = "Read an agent's tree")
    @APIResponse(
            responseCode = "200",
            description = "the service's answer, passed through (its schema: /api/v1/openapi)")
    @GET
    @NonBlocking // the event-loop fast path: non-blocking Redis rate limit and Vert.x hop
    @Path("/agents/{id}/tree")
    @RolesAllowed({Roles.VIEWER, Roles.OPERATOR, Roles.ADMIN})
    public Uni<Response> agentTree(@PathParam("id") String id) {
        return KnowledgeReads.AGENT_TREE.read(routes, null, ServiceRoutes.asIs(), id);
    }

    /**
     * How a knowledge call may be treated: {@code RETRIED} (safe to repeat: reads, PUT, DELETE, search),
     * {@code LONG} (waits for embeddings or an LLM: the long bound, never retried).
     */
    private enum Kind {
        RETRIED,
        LONG
    }

    /** A POST that waits for embeddings or an LLM (never retried), keyed by the client's Idempotency-Key. */
    private Response longPost(String routeKey, String path, String key, byte[] body) {
        return routes.call(
                routeKey, "POST /api/v1" + path, send("POST", path, body, Kind.LONG), key, ServiceRoutes.asIs());
    }

    private static HopRequest send(String method, String path, byte[] body, Kind kind) {
        return new HopRequest(
                K,
                method,
                path,
                null,
                body,
                body == null ? null : MediaType.APPLICATION_JSON,
                kind == Kind.RETRIED,
                kind == Kind.LONG);
    }

    private static String factPath(String entity, String attribute) {
        return "/facts/" + segment("entity", entity) + "/" + segment("attribute", attribute);
    }

    private static String byType(String type) {
        return query(params("type", PathSegments.check("type", type, false)));
    }

    private static ServiceRoutes.Shape list(String fields, Integer limit, String cursor, int downstreamMax) {
        return new ServiceRoutes.Shape.Items(fields, limit, cursor, null, downstreamMax);
    }
}
