package dev.devloop.tools.adapters.in.rest;

import static dev.devloop.tools.support.Fixtures.tenant;
import static dev.devloop.tools.support.RestInvocations.invoke;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;

import com.mongodb.client.MongoClient;
import dev.devloop.contracts.Headers;
import dev.devloop.contracts.identity.testing.TestCredentials;
import dev.devloop.tools.support.KnowledgeServiceJar;
import dev.devloop.tools.support.Stored;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.eclipse.microprofile.config.ConfigProvider;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The knowledge tools against the real knowledge-service (its packaged jar, on the real Redis, MongoDB,
 * Neo4j and Kafka): graph queries, search in each mode, facts, bounds, schema violations, tenant isolation.
 */
@QuarkusTest
@WithTestResource(value = KnowledgeServiceJar.Address.class, scope = TestResourceScope.GLOBAL)
class KnowledgeToolsTest {
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static KnowledgeServiceJar knowledgeService;

    @Inject
    MongoClient mongo;

    @ConfigProperty(name = "quarkus.rest-client.knowledge-service.url")
    String knowledgeUrl;

    @BeforeAll
    static void startKnowledgeService() {
        knowledgeService = KnowledgeServiceJar.start(
                ConfigProvider.getConfig().getValue("quarkus.rest-client.knowledge-service.url", String.class));
    }

    @AfterAll
    static void stopKnowledgeService() {
        if (knowledgeService != null) {
            knowledgeService.close();
        }
    }

    /** Seeds knowledge-service through its own API, as a cell member acting for the tenant. */
    private void post(String tenant, String path, String body) throws IOException, InterruptedException {
        HttpResponse<String> response = HTTP.send(
                HttpRequest.newBuilder(URI.create(knowledgeUrl + path))
                        .header("Authorization", TestCredentials.bearer("knowledge-service", tenant))
                        .header(Headers.TENANT, tenant)
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(path + " " + response.body()).isEqualTo(200);
    }

    private void graph(String tenant) throws IOException, InterruptedException {
        post(tenant, "/entities", "{\"id\":\"web-1\",\"type\":\"Service\",\"properties\":{\"tier\":\"frontend\"}}");
        post(tenant, "/entities", "{\"id\":\"db-1\",\"type\":\"Database\",\"properties\":{}}");
        post(tenant, "/entities", "{\"id\":\"disk-1\",\"type\":\"Volume\",\"properties\":{}}");
        post(tenant, "/entities", "{\"id\":\"api-1\",\"type\":\"Service\",\"properties\":{}}");
        post(
                tenant,
                "/relationships",
                "{\"from\":\"web-1\",\"to\":\"db-1\",\"type\":\"DEPENDS_ON\",\"properties\":{}}");
        post(
                tenant,
                "/relationships",
                "{\"from\":\"db-1\",\"to\":\"disk-1\",\"type\":\"STORED_ON\",\"properties\":{}}");
        post(
                tenant,
                "/relationships",
                "{\"from\":\"api-1\",\"to\":\"db-1\",\"type\":\"DEPENDS_ON\",\"properties\":{}}");
    }

    @Test
    void entityLookupReturnsItsRelations() throws Exception {
        String tenant = tenant();
        graph(tenant);
        invoke(tenant, "query_knowledge_graph", "{\"operation\":\"entity\",\"entity_id\":\"db-1\"}", "assistant")
                .statusCode(200)
                .body("status", equalTo("SUCCEEDED"))
                .body("output.id", equalTo("db-1"))
                .body("output.type", equalTo("Database"))
                .body("output.relationsTotal", equalTo(3))
                .body("output.relations.otherId", containsInAnyOrder("web-1", "api-1", "disk-1"))
                .body("output.relations.find { it.otherId == 'disk-1' }.direction", equalTo("out"));
    }

    @Test
    void neighbourhoodHonoursDepthAndLimit() throws Exception {
        String tenant = tenant();
        graph(tenant);
        invoke(
                        tenant,
                        "query_knowledge_graph",
                        "{\"operation\":\"neighbourhood\",\"entity_id\":\"web-1\",\"depth\":1}",
                        "diagnostic")
                .statusCode(200)
                .body("status", equalTo("SUCCEEDED"))
                .body("output.centre", equalTo("web-1"))
                .body("output.entities.id", hasItem("db-1"))
                .body("output.entities.id", org.hamcrest.Matchers.not(hasItem("disk-1")));
        invoke(
                        tenant,
                        "query_knowledge_graph",
                        "{\"operation\":\"neighbourhood\",\"entity_id\":\"web-1\",\"depth\":2}",
                        "diagnostic")
                .statusCode(200)
                .body("output.entities.id", hasItem("disk-1"))
                .body("output.depth", equalTo(2));
        invoke(
                        tenant,
                        "query_knowledge_graph",
                        "{\"operation\":\"neighbourhood\",\"entity_id\":\"web-1\",\"depth\":3,\"limit\":1}",
                        "diagnostic")
                .statusCode(200)
                .body("output.entities", hasSize(1))
                .body("output.entitiesTruncated", equalTo(true))
                .body("output.relationships", hasSize(1))
                .body("output.relationshipsTruncated", equalTo(true));
    }

    @Test
    void listsByTypeAreCutAtTheLimit() throws Exception {
        String tenant = tenant();
        graph(tenant);
        invoke(tenant, "query_knowledge_graph", "{\"operation\":\"entities\",\"entity_type\":\"Service\"}", "assistant")
                .statusCode(200)
                .body("output.entities.id", containsInAnyOrder("api-1", "web-1"))
                .body("output.entities.type", everyItem(equalTo("Service")))
                .body("output.truncated", equalTo(false));
        invoke(
                        tenant,
                        "query_knowledge_graph",
                        "{\"operation\":\"relationships\",\"relation_type\":\"DEPENDS_ON\",\"limit\":1}",
                        "assistant")
                .statusCode(200)
                .body("output.relationships", hasSize(1))
                .body("output.count", equalTo(1))
                .body("output.relationships[0].type", equalTo("DEPENDS_ON"));
    }

    @Test
    void tenantsDoNotSeeEachOthersGraph() throws Exception {
        String owner = tenant();
        graph(owner);
        String other = tenant();
        invoke(other, "query_knowledge_graph", "{\"operation\":\"entity\",\"entity_id\":\"db-1\"}", "assistant")
                .statusCode(200)
                .body("status", equalTo("FAILED"))
                .body("error", equalTo("no such entity: db-1"));
        invoke(other, "query_knowledge_graph", "{\"operation\":\"entities\",\"entity_type\":\"Service\"}", "assistant")
                .statusCode(200)
                .body("output.entities", hasSize(0));
    }

    @Test
    void graphArgumentsAreBoundedBeforeAnyCall() {
        String tenant = tenant();
        invoke(tenant, "query_knowledge_graph", "{\"operation\":\"entity\"}", "assistant")
                .statusCode(400)
                .contentType("application/problem+json")
                .body("field", equalTo("entity_id"));
        invoke(tenant, "query_knowledge_graph", "{\"operation\":\"drop\"}", "assistant")
                .statusCode(400)
                .body("field", equalTo("operation"));
        invoke(
                        tenant,
                        "query_knowledge_graph",
                        "{\"operation\":\"neighbourhood\",\"entity_id\":\"x\",\"depth\":4}",
                        "assistant")
                .statusCode(400)
                .body("field", equalTo("depth"));
        invoke(tenant, "query_knowledge_graph", "{\"operation\":\"entities\",\"limit\":101}", "assistant")
                .statusCode(400)
                .body("field", equalTo("limit"));
        invoke(
                        tenant,
                        "query_knowledge_graph",
                        "{\"operation\":\"relationships\",\"relation_type\":\"x]->() DETACH DELETE n//\"}",
                        "assistant")
                .statusCode(400)
                .body("field", equalTo("relation_type"));
        invoke(tenant, "query_knowledge_graph", "{\"operation\":\"entity\",\"entity_id\":\"../facts\"}", "assistant")
                .statusCode(400)
                .body("field", equalTo("entity_id"));
        assertThat(Stored.audit(mongo, tenant)).hasSize(6).allSatisfy(d -> assertThat(d.getString("outcome"))
                .isEqualTo("INVALID_ARGUMENTS"));
    }

    private void documents(String tenant) throws IOException, InterruptedException {
        post(
                tenant,
                "/documents",
                "{\"id\":\"kafka\",\"title\":\"Kafka notes\",\"text\":\"Kafka partitions keep the order "
                        + "of records that share a key. Consumers in one group split the partitions.\",\"metadata\":{\"team\":\"core\"}}");
        post(
                tenant,
                "/documents",
                "{\"id\":\"bread\",\"title\":\"Baking\",\"text\":\"Sourdough bread needs a starter, flour, "
                        + "water and salt, and a long slow rise.\",\"metadata\":{\"team\":\"kitchen\"}}");
    }

    @Test
    void semanticSearchFindsPassagesInEachMode() throws Exception {
        String tenant = tenant();
        documents(tenant);
        for (String mode : new String[] {"keyword", "vector", "hybrid"}) {
            invoke(
                            tenant,
                            "semantic_search",
                            "{\"query\":\"order of records with the same key\",\"mode\":\"" + mode + "\",\"limit\":1}",
                            "assistant")
                    .statusCode(200)
                    .body("status", equalTo("SUCCEEDED"))
                    .body("output.mode", equalTo(mode))
                    .body("output.hits", hasSize(1))
                    .body("output.hits[0].documentId", equalTo("kafka"))
                    .body("output.hits[0].text", containsString("partitions"));
        }
    }

    @Test
    void semanticSearchAppliesFiltersAndStaysInTheTenant() throws Exception {
        String tenant = tenant();
        documents(tenant);
        invoke(
                        tenant,
                        "semantic_search",
                        "{\"query\":\"partitions bread\",\"mode\":\"keyword\",\"filters\":{\"team\":\"kitchen\"}}",
                        "planner")
                .statusCode(200)
                .body("output.hits.documentId", everyItem(equalTo("bread")));
        invoke(tenant(), "semantic_search", "{\"query\":\"kafka partitions\",\"mode\":\"keyword\"}", "planner")
                .statusCode(200)
                .body("status", equalTo("SUCCEEDED"))
                .body("output.hits", hasSize(0));
    }

    @Test
    void semanticSearchArgumentsAreBounded() {
        String tenant = tenant();
        invoke(tenant, "semantic_search", "{\"query\":\"x\",\"limit\":21}", "assistant")
                .statusCode(400)
                .body("field", equalTo("limit"));
        invoke(tenant, "semantic_search", "{\"query\":\"x\",\"mode\":\"regex\"}", "assistant")
                .statusCode(400)
                .body("field", equalTo("mode"));
        invoke(tenant, "semantic_search", "{\"query\":\"\"}", "assistant")
                .statusCode(400)
                .body("field", equalTo("query"));
        invoke(tenant, "semantic_search", "{\"query\":\"" + "q".repeat(1001) + "\"}", "assistant")
                .statusCode(400)
                .body("field", equalTo("query"));
        invoke(tenant, "semantic_search", "{\"query\":\"x\",\"filters\":{\"team\":{\"$ne\":1}}}", "assistant")
                .statusCode(400)
                .body("field", equalTo("filters.team"));
    }

    @Test
    void factsRoundTripThroughTheRealService() {
        String tenant = tenant();
        invoke(
                        tenant,
                        "store_fact",
                        "{\"entity\":\"build-server\",\"attribute\":\"status\",\"value\":\"healthy\",\"ttl_seconds\":3600}",
                        "assistant")
                .statusCode(200)
                .body("status", equalTo("SUCCEEDED"))
                .body("output.tier", equalTo("medium"));
        invoke(tenant, "retrieve_fact", "{\"entity\":\"build-server\",\"attribute\":\"status\"}", "assistant")
                .statusCode(200)
                .body("output.value", equalTo("healthy"));
        invoke(tenant(), "retrieve_fact", "{\"entity\":\"build-server\",\"attribute\":\"status\"}", "assistant")
                .statusCode(200)
                .body("status", equalTo("FAILED"))
                .body("error", equalTo("no such fact: build-server/status"));
    }

    @Test
    void releaseNotesAndChangelogAreReadAsMarkdownAnAgentCanCommit() throws Exception {
        String tenant = tenant();
        post(tenant, "/roadmap/import", """
        {"milestones":[{"id":"m1","name":"Beta","phases":[{"id":"p1","name":"Build","modules":[{"id":"mod1",
          "name":"Core","features":[{"id":"div","name":"Integer division"},{"id":"mod","name":"Modulo"}]}]}]}]}""");
        for (String status : new String[] {"in_progress", "done"}) {
            HttpResponse<String> patched = HTTP.send(
                    HttpRequest.newBuilder(URI.create(knowledgeUrl + "/roadmap/nodes/div"))
                            .header("Authorization", TestCredentials.bearer("knowledge-service", tenant))
                            .header(Headers.TENANT, tenant)
                            .header("Content-Type", "application/json")
                            .method("PATCH", HttpRequest.BodyPublishers.ofString("{\"status\":\"" + status + "\"}"))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(patched.statusCode()).as(patched.body()).isEqualTo(200);
        }
        invoke(tenant, "roadmap_read", "{\"view\":\"release_notes\",\"id\":\"m1\"}", "repository")
                .statusCode(200)
                .body("status", equalTo("SUCCEEDED"))
                .body("output.markdown", containsString("## [Beta]"))
                .body("output.markdown", containsString("Integer division"));
        invoke(tenant, "roadmap_read", "{\"view\":\"changelog\",\"id\":\"div\"}", "repository")
                .statusCode(200)
                .body("output.markdown", containsString("Integer division"));
        invoke(tenant, "roadmap_read", "{\"view\":\"changelog\",\"id\":\"mod\"}", "repository")
                .statusCode(200)
                .body("status", equalTo("FAILED"))
                .body("error", containsString("only a done feature has a changelog entry"));
        invoke(tenant, "roadmap_read", "{\"view\":\"release_notes\",\"id\":\"nope\"}", "repository")
                .statusCode(200)
                .body("status", equalTo("FAILED"))
                .body("error", containsString("no such milestone"));
        invoke(tenant(), "roadmap_read", "{\"view\":\"changelog\",\"id\":\"div\"}", "repository")
                .statusCode(200)
                .body("status", equalTo("FAILED"));
    }
}
