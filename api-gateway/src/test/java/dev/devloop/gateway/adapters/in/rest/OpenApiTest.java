package dev.devloop.gateway.adapters.in.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import dev.devloop.contracts.openapi.testing.OpenApiContract;
import dev.devloop.gateway.support.AgentServiceStub;
import dev.devloop.gateway.support.FlakyCell;
import dev.devloop.gateway.support.RealServices;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The gateway's own {@code /q/openapi} names every public path it serves — its own routes and the ones it forwards —
 * with summaries, tags, typed bodies and problem+json refusals (the merged {@code /api/v1/openapi} is ApiSurfaceTest's).
 */
@QuarkusTest
@QuarkusTestResource(RealServices.class)
@QuarkusTestResource(FlakyCell.class)
@QuarkusTestResource(AgentServiceStub.class)
class OpenApiTest extends OpenApiContract {
    @Override
    protected int port() {
        return RestAssured.port;
    }

    @Override
    protected Set<String> expectedPaths() {
        return Set.of(
                // the gateway's own routes
                "/api/v1/batch",
                "/api/v1/events",
                "/api/v1/event-grants",
                "/api/v1/event-grants/{id}",
                "/api/v1/webhooks",
                "/api/v1/webhooks/{id}",
                "/api/v1/webhooks/{id}/deliveries",
                "/api/v1/integrations/github/{tenant}/webhook",
                "/api/v1/integrations/github/webhook",
                "/api/v1/integrations/github/secret",
                "/api/v1/integrations/github/repositories",
                "/api/v1/integrations/github/repositories/{owner}/{name}",
                "/api/v1/openapi",
                // forwarded to agent-service
                "/api/v1/agents",
                "/api/v1/agents/{id}",
                "/api/v1/agents/{ref}/runs",
                "/api/v1/agents/{id}/handoffs",
                "/api/v1/agent-types",
                "/api/v1/agent-types/{type}",
                "/api/v1/agent-types/{type}/versions",
                "/api/v1/runs/{id}",
                "/api/v1/runs/{id}/cancel",
                "/api/v1/handoffs/{id}",
                "/api/v1/system-health/checks",
                "/api/v1/approvals",
                "/api/v1/approvals/{id}",
                "/api/v1/approvals/{id}/approve",
                "/api/v1/approvals/{id}/reject",
                // forwarded to knowledge-service
                "/api/v1/facts/{entity}/{attribute}",
                "/api/v1/facts/{entity}",
                "/api/v1/entities",
                "/api/v1/entities/{id}",
                "/api/v1/entities/{id}/neighbourhood",
                "/api/v1/relationships",
                "/api/v1/documents",
                "/api/v1/documents/{id}",
                "/api/v1/search",
                "/api/v1/rag/query",
                "/api/v1/agents/{id}/tree",
                // forwarded to provider-gateway
                "/api/v1/generate",
                "/api/v1/chat/completions",
                "/api/v1/models",
                "/api/v1/admin/model-safety",
                "/api/v1/providers",
                "/api/v1/usage",
                // forwarded to roadmap-service
                "/api/v1/roadmap/nodes",
                "/api/v1/roadmap/nodes/{id}",
                "/api/v1/roadmap/nodes/{id}/dependencies/{dependsOnId}",
                "/api/v1/roadmap/import",
                "/api/v1/roadmap/nodes/{id}/progress",
                "/api/v1/roadmap/nodes/{id}/tree",
                "/api/v1/roadmap/ready",
                "/api/v1/roadmap/order",
                "/api/v1/roadmap/milestones/{id}/critical-path",
                "/api/v1/roadmap/features/{id}/changelog",
                "/api/v1/roadmap/milestones/{id}/release-notes",
                // forwarded to tool-service
                "/api/v1/tools",
                "/api/v1/tools/{id}",
                "/api/v1/tools/{id}/disable",
                "/api/v1/tools/{id}/invocations",
                "/api/v1/mcp-servers",
                "/api/v1/mcp-servers/{name}");
    }

    /**
     * The forwarded writes pass their body through as bytes: the service behind the route owns and validates its
     * schema, which /api/v1/openapi carries (merged from that service's /q/openapi) — restating it here would be a
     * second copy to drift.
     */
    @Override
    protected Set<String> freeFormRequestBodies() {
        return Set.of(
                "POST /api/v1/agents",
                "POST /api/v1/agent-types",
                "PUT /api/v1/agent-types/{type}",
                "POST /api/v1/runs/{id}/cancel",
                "POST /api/v1/agents/{id}/handoffs",
                "POST /api/v1/system-health/checks",
                "POST /api/v1/agents/{ref}/runs",
                "POST /api/v1/approvals/{id}/approve",
                "POST /api/v1/approvals/{id}/reject",
                "PUT /api/v1/facts/{entity}/{attribute}",
                "POST /api/v1/entities",
                "POST /api/v1/relationships",
                "POST /api/v1/documents",
                "POST /api/v1/documents/batch",
                "POST /api/v1/search",
                "POST /api/v1/rag/query",
                "POST /api/v1/generate",
                "POST /api/v1/chat/completions",
                "PUT /api/v1/admin/model-safety",
                "POST /api/v1/roadmap/nodes",
                "PATCH /api/v1/roadmap/nodes/{id}",
                "POST /api/v1/roadmap/import",
                "POST /api/v1/tools",
                "POST /api/v1/tools/{id}/invocations",
                "POST /api/v1/mcp-servers");
    }

    /** Annotated refusals replace SmallRye's generated answer unless the success is named too: it must stay typed. */
    @Test
    void theGatewaysOwnAnswersAndBodiesAreTyped() {
        given().get("/q/openapi?format=json")
                .then()
                .statusCode(200)
                .body(
                        "paths.'/api/v1/batch'.post.requestBody.content.'application/json'.schema.$ref",
                        equalTo("#/components/schemas/BatchBody"))
                .body(
                        "paths.'/api/v1/batch'.post.responses.'200'.content.'application/json'.schema.$ref",
                        equalTo("#/components/schemas/BatchAnswer"))
                .body(
                        "paths.'/api/v1/event-grants'.post.requestBody.content.'application/json'.schema.$ref",
                        equalTo("#/components/schemas/EventGrantBody"))
                .body(
                        "paths.'/api/v1/webhooks'.get.responses.'200'.content.'application/json'.schema.$ref",
                        equalTo("#/components/schemas/WebhookList"))
                .body(
                        "paths.'/api/v1/agents'.get.responses.'503'.content.'application/problem+json'.schema.$ref",
                        equalTo("#/components/schemas/Problem"))
                .body("paths.'/api/v1/tools'.post.summary", equalTo("Register a tool"))
                .body("paths.'/api/v1/tools'.post.tags[0]", equalTo("tool-service"));
    }
}
