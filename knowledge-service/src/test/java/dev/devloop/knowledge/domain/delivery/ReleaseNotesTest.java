package dev.devloop.knowledge.domain.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import dev.devloop.knowledge.domain.roadmap.RoadmapLinks;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReleaseNotesTest {
    private static ReleaseEntry entry(String id, String name, String type, String mergedAt, Long pr) {
        Map<String, Object> meta = new java.util.HashMap<>();
        if (type != null) {
            meta.put("changeType", type);
        }
        if (mergedAt != null) {
            meta.put("mergedAt", mergedAt);
        }
        return new ReleaseEntry(
                id,
                name,
                meta,
                pr == null
                        ? null
                        : new RoadmapLinks.PullRequest(pr, "https://github.com/acme/shop/pull/" + pr, "merged"));
    }

    @Test
    void featuresAreGroupedByChangeTypeUnderTheLatestMergeDate() {
        String notes = ReleaseNotes.render(
                "Public beta",
                List.of(
                        entry("login", "Login page", null, "2026-11-30T23:59:00Z", 12L),
                        entry("cart", "Cart totals", "fixed", "2026-12-02T08:00:00+01:00", 14L),
                        entry("api", "API v2", "Changed", "2026-12-01T10:00:00Z", 13L),
                        entry("audit", "Audit log", "added", null, null),
                        entry("odd", "Odd_name [beta]", "removed", "not a date", 15L)));
        assertThat(notes).isEqualTo("""
        ## [Public beta] - 2026-12-02

        ### Added

        - Audit log
        - Login page ([#12](https://github.com/acme/shop/pull/12))
        - Odd\\_name \\[beta\\] ([#15](https://github.com/acme/shop/pull/15))

        ### Changed

        - API v2 ([#13](https://github.com/acme/shop/pull/13))

        ### Fixed

        - Cart totals ([#14](https://github.com/acme/shop/pull/14))
        """);
    }

    @Test
    void aMilestoneWithoutMergesHasNoDateAndNoSections() {
        assertThat(ReleaseNotes.render("Later", List.of())).isEqualTo("## [Later]\n");
    }
}
