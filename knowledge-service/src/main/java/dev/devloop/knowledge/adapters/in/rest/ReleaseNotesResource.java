package dev.devloop.knowledge.adapters.in.rest;

import dev.devloop.contracts.identity.Caller;
import dev.devloop.knowledge.ports.in.ReleaseNotesUseCase;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;

/** Keep a Changelog Markdown from the roadmap graph (docs/delivery.md, "Release notes"). */
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
    public String changelog(@PathParam("id") String id) {
        String tenant = caller.tenant();
        return notes.featureChangelog(tenant, id);
    }

    @GET
    @Path("/milestones/{id}/release-notes")
    @Produces(MARKDOWN)
    public String releaseNotes(@PathParam("id") String id) {
        String tenant = caller.tenant();
        return notes.milestoneReleaseNotes(tenant, id);
    }
}
