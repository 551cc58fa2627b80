package dev.devloop.knowledge.adapters.in.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import dev.devloop.contracts.Headers;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Release notes and changelogs from a roadmap stored in the real Neo4j, with exact Markdown. */
@QuarkusTest
class ReleaseNotesResourceTest {
    private String tenant;

    private static Map<String, Object> feature(String id, String name, String status, Map<String, Object> metadata) {
        return Map.of("id", id, "name", name, "status", status, "metadata", metadata);
    }

    @BeforeEach
    void seed() {
        tenant = "notes-" + UUID.randomUUID();
        Map<String, Object> doc = Map.of(
                "milestones",
                List.of(
                        Map.of(
                                "id",
                                "v1",
                                "name",
                                "1.0.0",
                                "phases",
                                List.of(Map.of(
                                        "id",
                                        "v1-build",
                                        "name",
                                        "Build",
                                        "modules",
                                        List.of(
                                                Map.of(
                                                        "id",
                                                        "auth",
                                                        "name",
                                                        "Auth",
                                                        "features",
                                                        List.of(
                                                                feature(
                                                                        "login",
                                                                        "Login page",
                                                                        "done",
                                                                        Map.of("mergedAt", "2026-11-28T09:00:00Z")),
                                                                feature(
                                                                        "sso",
                                                                        "Single sign-on",
                                                                        "in_review",
                                                                        Map.of()))),
                                                Map.of(
                                                        "id",
                                                        "api",
                                                        "name",
                                                        "API",
                                                        "features",
                                                        List.of(
                                                                feature(
                                                                        "rate",
                                                                        "Rate limits",
                                                                        "done",
                                                                        Map.of(
                                                                                "changeType",
                                                                                "changed",
                                                                                "mergedAt",
                                                                                "2026-12-01T17:30:00Z")),
                                                                feature(
                                                                        "typo",
                                                                        "Typo in errors",
                                                                        "done",
                                                                        Map.of("changeType", "fixed")))))))),
                        Map.of("id", "v2", "name", "2.0.0")));
        given().header(Headers.TENANT, tenant)
                .contentType(ContentType.JSON)
                .body(doc)
                .post("/roadmap/import")
                .then()
                .statusCode(200);
        given().header(Headers.TENANT, tenant)
                .contentType(ContentType.JSON)
                .body(Map.of(
                        "links",
                        Map.of(
                                "pullRequest",
                                Map.of("number", 41, "url", "https://github.com/acme/app/pull/41", "state", "merged"))))
                .patch("/roadmap/nodes/login")
                .then()
                .statusCode(200);
    }

    @Test
    void aMilestonesNotesListItsDoneFeaturesByChangeType() {
        given().header(Headers.TENANT, tenant)
                .get("/roadmap/milestones/v1/release-notes")
                .then()
                .statusCode(200)
                .contentType("text/markdown")
                .body(equalTo("""
            ## [1.0.0] - 2026-12-01

            ### Added

            - Login page ([#41](https://github.com/acme/app/pull/41))

            ### Changed

            - Rate limits

            ### Fixed

            - Typo in errors
            """));
        given().header(Headers.TENANT, tenant)
                .get("/roadmap/milestones/v2/release-notes")
                .then()
                .statusCode(200)
                .body(equalTo("## [2.0.0]\n"));
    }

    @Test
    void aDoneFeatureHasItsOwnEntry() {
        given().header(Headers.TENANT, tenant)
                .get("/roadmap/features/login/changelog")
                .then()
                .statusCode(200)
                .contentType("text/markdown")
                .body(equalTo("## [1.0.0] - 2026-11-28\n\n### Added\n\n"
                        + "- Login page ([#41](https://github.com/acme/app/pull/41))\n"));
    }

    @Test
    void errorsAreProblems() {
        given().header(Headers.TENANT, tenant)
                .get("/roadmap/features/sso/changelog")
                .then()
                .statusCode(409)
                .contentType("application/problem+json")
                .body("type", equalTo("https://devloop.dev/problems/feature-not-done"));
        given().header(Headers.TENANT, tenant)
                .get("/roadmap/features/auth/changelog")
                .then()
                .statusCode(404)
                .contentType("application/problem+json");
        given().header(Headers.TENANT, tenant)
                .get("/roadmap/milestones/login/release-notes")
                .then()
                .statusCode(404)
                .contentType("application/problem+json");
        given().header(Headers.TENANT, "other-" + UUID.randomUUID())
                .get("/roadmap/milestones/v1/release-notes")
                .then()
                .statusCode(404);
        given().get("/roadmap/milestones/v1/release-notes")
                .then()
                .statusCode(400)
                .body("field", equalTo(Headers.TENANT));
        given().header(Headers.TENANT, tenant)
                .get("/roadmap/features/{id}/changelog", "bad id!")
                .then()
                .statusCode(400)
                .body("field", equalTo("id"));
    }
}
