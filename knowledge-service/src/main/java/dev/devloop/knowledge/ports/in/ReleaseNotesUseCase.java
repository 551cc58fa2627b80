package dev.devloop.knowledge.ports.in;

/** Keep a Changelog Markdown generated from the roadmap graph (docs/delivery.md, "Release notes"). */
public interface ReleaseNotesUseCase {
    /** The entry of one merged (done) feature, titled by its milestone. */
    String featureChangelog(String tenant, String featureId);

    /** The notes of a milestone: every done feature under it. */
    String milestoneReleaseNotes(String tenant, String milestoneId);
}
