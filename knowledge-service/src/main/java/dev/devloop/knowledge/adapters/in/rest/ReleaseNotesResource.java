package dev.devloop.knowledge.adapters.in.rest;

import dev.devloop.contracts.identity.Caller;
import dev.devloop.contracts.problem.Problem;
import dev.devloop.knowledge.ports.in.ReleaseNotesUseCase;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Keep a Changelog Markdown from the roadmap graph (docs/delivery.md, "Release notes"). */
@Tag(name = "Roadmap", description = "The roadmap graph: nodes, dependencies, roll-up and order")
@Path("/roadmap")
public class ReleaseNotesResource {
    static final String MARKDOWN = "text/markdown;charset=UTF-8";

    private final ReleaseNotesUseCase notes;

    private final Caller caller;

    public ReleaseNotesResource(Caller caller, ReleaseNotesUseCase notes) {
        this.caller = caller;
        this.notes = notes;
    }

    @GET
    @Path("/features/{id}/changelog")
    @Produces(MARKDOWN)
    @Operation(summary = "A feature's Keep a Changelog entry as Markdown")
    @APIResponse(responseCode = "200", description = "Markdown")
    @APIResponse(
            responseCode = "404",
            description = "Nothing of that id for this tenant",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public String changelog(@PathParam("id") String id) {
        String tenant = caller.tenant();
        return notes.featureChangelog(tenant, id);
    }

    @GET
    @Path("/milestones/{id}/release-notes")
    @Produces(MARKDOWN)
    @Operation(summary = "A milestone's release notes as Markdown")
    @APIResponse(responseCode = "200", description = "Markdown")
    @APIResponse(
            responseCode = "404",
            description = "Nothing of that id for this tenant",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public String releaseNotes(@PathParam("id") String id) {
        String tenant = caller.tenant();
        return notes.milestoneReleaseNotes(tenant, id);
    }
}
