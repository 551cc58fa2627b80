package dev.devloop.knowledge.domain.delivery;

import static dev.devloop.knowledge.domain.delivery.GithubPayloads.FEATURE;
import static dev.devloop.knowledge.domain.delivery.GithubPayloads.map;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.devloop.knowledge.domain.roadmap.RoadmapLevel;
import dev.devloop.knowledge.domain.roadmap.RoadmapLinks;
import dev.devloop.knowledge.domain.roadmap.RoadmapNode;
import dev.devloop.knowledge.domain.roadmap.RoadmapStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The payload → feature change table of docs/delivery.md, over real GitHub payloads. */
class ForgeMappingTest {
    private static final String PR_URL = "https://github.com/Codertocat/Hello-World/pull/2";

    private static FeatureChange change(String event, Map<String, Object> payload) {
        return ForgeMapping.map(event, payload).orElseThrow();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> child(Map<String, Object> m, String key) {
        return (Map<String, Object>) m.get(key);
    }

    private static RoadmapNode feature(RoadmapStatus status) {
        Instant t = Instant.parse("2026-12-01T00:00:00Z");
        return new RoadmapNode(
                "t",
                FEATURE,
                RoadmapLevel.FEATURE,
                "mod",
                "Checkout",
                null,
                status,
                null,
                null,
                Map.of("changeType", "fixed"),
                RoadmapLinks.EMPTY,
                t,
                t,
                1);
    }

    @Test
    void anOpenedPullRequestLinksTheFeatureAndAsksForReview() {
        FeatureChange c = change("pull_request", map("pull_request.opened"));
        assertThat(c.featureId()).isEqualTo(FEATURE);
        assertThat(c.pullRequest()).isEqualTo(new RoadmapLinks.PullRequest(2L, PR_URL, "open"));
        assertThat(c.status()).isEqualTo(FeatureChange.StatusMove.REVIEW);
        assertThat(c.mergedAt()).isNull();
    }

    @Test
    void aMergedPullRequestIsDoneAndCarriesTheMergeTime() {
        FeatureChange c = change("pull_request", map("pull_request.closed.merged"));
        assertThat(c.pullRequest()).isEqualTo(new RoadmapLinks.PullRequest(2L, PR_URL, "merged"));
        assertThat(c.status()).isEqualTo(FeatureChange.StatusMove.MERGED);
        assertThat(c.mergedAt()).isEqualTo("2019-05-15T15:21:18Z");
    }

    @Test
    void aPullRequestClosedWithoutMergeGoesBackToWork() {
        FeatureChange c = change("pull_request", map("pull_request.closed"));
        assertThat(c.pullRequest().state()).isEqualTo("closed");
        assertThat(c.status()).isEqualTo(FeatureChange.StatusMove.REVIEW_CLOSED);
    }

    @Test
    void thePullRequestBodyMarkerNamesTheFeatureWhenTheBranchDoesNot() {
        Map<String, Object> payload = map("pull_request.opened");
        Map<String, Object> pr = child(payload, "pull_request");
        child(pr, "head").put("ref", "changes");
        assertThat(ForgeMapping.map("pull_request", payload)).isEmpty();
        pr.put("body", "Adds the flow.\r\n\r\nDevloop-Feature: other-feature\r\n");
        assertThat(change("pull_request", payload).featureId()).isEqualTo("other-feature");
    }

    @Test
    void checkRunsAndWorkflowRunsSetTheChecksAndTheDeliveryState() {
        FeatureChange failed = change("check_run", map("check_run.completed.failure"));
        assertThat(failed.checks())
                .isEqualTo(new RoadmapLinks.Checks(
                        "completed",
                        "failure",
                        "https://github.com/Codertocat/Hello-World/runs/128620228",
                        "Octocoders-linter"));
        assertThat(failed.delivery()).isEqualTo("build_failed");
        FeatureChange passed = change("check_run", map("check_run.completed.success"));
        assertThat(passed.checks().conclusion()).isEqualTo("success");
        assertThat(passed.delivery()).isEqualTo("ready_for_review");
        FeatureChange workflow = change("workflow_run", map("workflow_run.completed"));
        assertThat(workflow.checks())
                .isEqualTo(new RoadmapLinks.Checks(
                        "completed",
                        "success",
                        "https://github.com/octo-org/octo-repo/actions/runs/289782451",
                        "ci(action): update actions/setup-node digest to 8c91899"));
        assertThat(workflow.delivery()).isEqualTo("ready_for_review");
        assertThat(workflow.status()).isEqualTo(FeatureChange.StatusMove.NONE);
    }

    @Test
    void aPushToTheFeatureBranchAddsItsCommits() {
        FeatureChange c = change("push", map("push"));
        assertThat(c.branch()).isEqualTo("feature/" + FEATURE);
        assertThat(c.commits()).containsExactly("6113728f27ae82c7b1a177c8d03f9e96e0adf246");
        Map<String, Object> other = map("push");
        other.put("ref", "refs/heads/master");
        assertThat(ForgeMapping.map("push", other)).isEmpty();
        Map<String, Object> deleted = map("push");
        deleted.put("deleted", true);
        assertThat(ForgeMapping.map("push", deleted)).isEmpty();
    }

    @Test
    void anIssueWithTheMarkerIsRecordedInTheMetadata() {
        FeatureChange c = change("issues", map("issues.opened"));
        assertThat(c.issue())
                .isEqualTo(Map.of(
                        "number",
                        1L,
                        "url",
                        "https://github.com/Codertocat/Hello-World/issues/1",
                        "state",
                        "open",
                        "labels",
                        List.of("bug")));
        Map<String, Object> unmarked = map("issues.opened");
        child(unmarked, "issue").put("body", "no marker here");
        assertThat(ForgeMapping.map("issues", unmarked)).isEmpty();
    }

    @Test
    void otherKindsAndActionsMapToNothing() {
        Map<String, Object> assigned = map("pull_request.opened");
        assigned.put("action", "assigned");
        assertThat(ForgeMapping.map("pull_request", assigned)).isEmpty();
        Map<String, Object> created = map("check_run.completed.success");
        created.put("action", "created");
        assertThat(ForgeMapping.map("check_run", created)).isEmpty();
        assertThat(ForgeMapping.map("star", Map.of("action", "created"))).isEmpty();
        assertThat(ForgeMapping.fromBranch("feature/bad id")).isEmpty();
        assertThat(ForgeMapping.fromBranch("feature/")).isEmpty();
    }

    @Test
    void payloadsWithoutWhatTheirKindCarriesAreMalformed() {
        Map<String, Object> noPr = map("pull_request.opened");
        noPr.remove("pull_request");
        assertThatThrownBy(() -> ForgeMapping.map("pull_request", noPr))
                .isInstanceOf(MalformedForgeEvent.class)
                .hasMessageContaining("pull_request is missing");
        Map<String, Object> badNumber = map("pull_request.opened");
        child(badNumber, "pull_request").put("number", "two");
        assertThatThrownBy(() -> ForgeMapping.map("pull_request", badNumber))
                .isInstanceOf(MalformedForgeEvent.class)
                .hasMessageContaining("pull_request.number");
        Map<String, Object> badCommit = map("push");
        badCommit.put("commits", List.of(Map.of("id", "not a sha")));
        assertThatThrownBy(() -> ForgeMapping.map("push", badCommit)).isInstanceOf(MalformedForgeEvent.class);
    }

    @Test
    void statusesMoveAsTheTableSays() {
        Map<String, RoadmapStatus> none = Map.of();
        assertThat(FeatureDelivery.status(feature(RoadmapStatus.IN_PROGRESS), FeatureChange.StatusMove.REVIEW, none))
                .isEqualTo(RoadmapStatus.IN_REVIEW);
        // planned → in_review is not a transition: the link is kept, the status stays
        assertThat(FeatureDelivery.status(feature(RoadmapStatus.PLANNED), FeatureChange.StatusMove.REVIEW, none))
                .isEqualTo(RoadmapStatus.PLANNED);
        assertThat(FeatureDelivery.status(
                        feature(RoadmapStatus.IN_PROGRESS),
                        FeatureChange.StatusMove.REVIEW,
                        Map.of("dep", RoadmapStatus.IN_PROGRESS)))
                .isEqualTo(RoadmapStatus.IN_PROGRESS);
        assertThat(FeatureDelivery.status(feature(RoadmapStatus.PLANNED), FeatureChange.StatusMove.MERGED, none))
                .isEqualTo(RoadmapStatus.DONE);
        assertThat(FeatureDelivery.status(
                        feature(RoadmapStatus.IN_REVIEW), FeatureChange.StatusMove.REVIEW_CLOSED, none))
                .isEqualTo(RoadmapStatus.IN_PROGRESS);
        assertThat(FeatureDelivery.status(feature(RoadmapStatus.BLOCKED), FeatureChange.StatusMove.REVIEW_CLOSED, none))
                .isEqualTo(RoadmapStatus.BLOCKED);
    }

    @Test
    void applyingKeepsTheMetadataAndBoundsTheCommits() {
        RoadmapNode merged = FeatureDelivery.apply(
                feature(RoadmapStatus.IN_REVIEW),
                change("pull_request", map("pull_request.closed.merged")),
                Map.of(),
                500);
        assertThat(merged.status()).isEqualTo(RoadmapStatus.DONE);
        assertThat(merged.metadata())
                .containsEntry("changeType", "fixed")
                .containsEntry("mergedAt", "2019-05-15T15:21:18Z");
        assertThat(merged.links().pullRequest().state()).isEqualTo("merged");

        List<String> many = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            many.add(String.format("%040x", i));
        }
        FeatureChange push = new FeatureChange(
                FEATURE, "push", null, null, null, null, null, "feature/" + FEATURE, many, null, null);
        RoadmapNode pushed = FeatureDelivery.apply(feature(RoadmapStatus.IN_PROGRESS), push, Map.of(), 3);
        assertThat(pushed.links().commits()).containsExactly(many.get(2), many.get(3), many.get(4));
        FeatureChange again = new FeatureChange(
                FEATURE, "push", null, null, null, null, null, "feature/" + FEATURE, many.subList(3, 5), null, null);
        assertThat(FeatureDelivery.apply(pushed, again, Map.of(), 3).links().commits())
                .isEqualTo(pushed.links().commits());
    }
}
