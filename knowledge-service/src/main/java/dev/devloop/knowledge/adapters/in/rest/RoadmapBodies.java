package dev.devloop.knowledge.adapters.in.rest;

import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * The documented shapes of the roadmap's request bodies (docs/roadmap.md). The resources read these bodies as plain
 * maps, not as these records: the use cases refuse an unknown field by name, and a PATCH tells an absent field
 * (unchanged) from a null one (cleared), neither of which survives binding to a record.
 */
final class RoadmapBodies {
    private RoadmapBodies() {}

    private static final String METADATA = "free-form JSON object, at most 16 KiB";
    private static final String STATUS = "planned, in_progress, blocked, in_review, done or cancelled";

    /** Body of {@code POST /roadmap/nodes}. */
    @Schema(name = "RoadmapNodeCreate", description = "A new roadmap node; unknown fields are refused")
    record NodeCreate(
            @Schema(description = "generated as <level>-<random> when absent")
            String id,

            @Schema(required = true, description = "milestone, phase, module, feature or task")
            String level,

            @Schema(description = "the node one level up; none for a milestone")
            String parentId,

            @Schema(required = true, description = "1 to 200 characters")
            String name,

            String description,
            @Schema(description = STATUS) String status,
            String owner,
            @Schema(description = "0 to 10 000") Double estimate,

            @Schema(type = SchemaType.OBJECT, description = METADATA)
            Map<String, Object> metadata,

            @Schema(description = "features or tasks this one depends on")
            List<String> dependsOn) {}

    /** Body of {@code PATCH /roadmap/nodes/{id}}. */
    @Schema(
            name = "RoadmapNodePatch",
            description = "A present field replaces; null clears description, owner and estimate")
    record NodePatch(
            String name,
            String description,
            @Schema(description = STATUS) String status,
            String owner,
            Double estimate,

            @Schema(type = SchemaType.OBJECT, description = METADATA)
            Map<String, Object> metadata,

            Links links) {}

    /** Delivery links of a PATCH: commits and runs are appended, the others replaced (null removes). */
    @Schema(name = "RoadmapLinksPatch")
    record Links(String branch, PullRequest pullRequest, List<String> commits, Checks checks, List<String> runs) {}

    @Schema(name = "RoadmapPullRequest")
    record PullRequest(Integer number, String url, String state) {}

    @Schema(name = "RoadmapChecks")
    record Checks(String status, String conclusion, String url, String summary) {}

    /** Body of {@code POST /roadmap/import}, as JSON or YAML. */
    @Schema(name = "RoadmapDocument", description = "milestones[].phases[].modules[].features[].tasks[]")
    record Document(List<ImportNode> milestones) {}

    /** One node of an import; its children are under the next level's key. */
    @Schema(name = "RoadmapImportNode")
    record ImportNode(
            @Schema(required = true) String id,
            String name,
            String description,
            @Schema(description = STATUS) String status,
            String owner,
            Double estimate,

            @Schema(type = SchemaType.OBJECT, description = METADATA)
            Map<String, Object> metadata,

            @Schema(description = "features and tasks only") List<String> dependsOn,
            @Schema(description = "under a milestone") List<ImportNode> phases,
            @Schema(description = "under a phase") List<ImportNode> modules,
            @Schema(description = "under a module") List<ImportNode> features,
            @Schema(description = "under a feature") List<ImportNode> tasks) {}
}
