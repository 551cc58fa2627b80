package dev.devloop.knowledge.adapters.in.rest;

import dev.devloop.contracts.Headers;
import dev.devloop.knowledge.ports.in.ReleaseNotesUseCase;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;

/** Keep a Changelog Markdown from the roadmap graph (docs/delivery.md, "Release notes"). */
@Path("/roadmap")
public class ReleaseNotesResource {
    static final String MARKDOWN = "text/markdown;charset=UTF-8";

    private final ReleaseNotesUseCase notes;

    public ReleaseNotesResource(ReleaseNotesUseCase notes) {
        this.notes = notes;
    }

    @GET
    @Path("/features/{id}/changelog")
    @Produces(MARKDOWN)
    public String changelog(@HeaderParam(Headers.TENANT) String tenant, @PathParam("id") String id) {
        return notes.featureChangelog(tenant, id);
    }

    @GET
    @Path("/milestones/{id}/release-notes")
    @Produces(MARKDOWN)
    public String releaseNotes(@HeaderParam(Headers.TENANT) String tenant, @PathParam("id") String id) {
        return notes.milestoneReleaseNotes(tenant, id);
    }
}
