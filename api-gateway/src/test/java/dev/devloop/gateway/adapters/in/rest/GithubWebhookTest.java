package dev.devloop.gateway.adapters.in.rest;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.devloop.contracts.Topics;
import dev.devloop.contracts.events.CloudEventCodec;
import dev.devloop.contracts.events.EventGate;
import dev.devloop.contracts.events.EventSignatures;
import dev.devloop.gateway.support.AgentServiceStub;
import dev.devloop.gateway.support.Tokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * GitHub webhooks in with real payloads (src/test/resources/github), signed as GitHub signs them, through
 * the real MongoDB (secrets), Redis (delivery ids) and Kafka ({@code devloop.forge.events}).
 */
@QuarkusTest
@QuarkusTestResource(AgentServiceStub.class)
class GithubWebhookTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final byte[] PULL_REQUEST = resource("github/pull_request.closed.json");
    private static final byte[] PING = resource("github/ping.json");

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @Inject
    EventGate gate;

    private final String tenant = Tokens.newTenant();
    private final String secret = "gh-secret-" + UUID.randomUUID();

    @Test
    void aSignedPullRequestIsPublishedOnceAsACloudEventWithThePayloadIntact() throws Exception {
        setSecret(tenant, secret);
        String delivery = UUID.randomUUID().toString();

        post(tenant, delivery, "pull_request", PULL_REQUEST, sign(secret, PULL_REQUEST))
                .then()
                .statusCode(202)
                .body("id", equalTo(delivery))
                .body("duplicate", equalTo(false));
        post(tenant, delivery, "pull_request", PULL_REQUEST, sign(secret, PULL_REQUEST))
                .then()
                .statusCode(200)
                .body("duplicate", equalTo(true));
        post(tenant, UUID.randomUUID().toString(), "ping", PING, sign(secret, PING))
                .then()
                .statusCode(200)
                .body("ping", equalTo(true));
        String marker = acceptMarker(tenant, secret);

        List<ConsumerRecord<String, String>> published = publishedUntil(tenant, marker);
        assertThat(published)
                .extracting(r -> JSON.readTree(r.value()).get("id").asText())
                .containsExactly(delivery, marker);
        ConsumerRecord<String, String> record = published.get(0);
        assertThat(record.key()).isEqualTo(tenant);
        JsonNode event = JSON.readTree(record.value());
        assertThat(event.get("specversion").asText()).isEqualTo("1.0");
        assertThat(event.get("type").asText()).isEqualTo("dev.devloop.forge.github.pull_request");
        assertThat(event.get("source").asText()).isEqualTo("/devloop/api-gateway/github");
        assertThat(event.get("subject").asText()).isEqualTo("Codertocat/Hello-World");
        assertThat(event.get("tenant").asText()).isEqualTo(tenant);
        assertThat(event.get("datacontenttype").asText()).isEqualTo("application/json");
        assertThat(event.get("time").asText()).isNotBlank();
        assertThat(event.get("data")).isEqualTo(JSON.readTree(PULL_REQUEST));
        // signed as api-gateway's: the forge topic's consumers accept it for this tenant
        Header signature = record.headers().lastHeader(EventSignatures.SIGNATURE_HEADER);
        assertThat(signature).isNotNull();
        EventGate.Accepted accepted = gate.accept(
                Topics.FORGE_EVENTS,
                record.value(),
                new String(signature.value(), StandardCharsets.UTF_8),
                null,
                CloudEventCodec.Limits.DEFAULT);
        assertThat(accepted.producer()).isEqualTo("api-gateway");
        assertThat(accepted.event().tenant()).isEqualTo(tenant);

        String metrics = given().when()
                .get("/q/metrics")
                .then()
                .statusCode(200)
                .extract()
                .asString();
        assertThat(metrics)
                .contains("devloop_gateway_github_webhooks_total{event=\"pull_request\",outcome=\"accepted\"}")
                .contains("devloop_gateway_github_webhooks_total{event=\"pull_request\",outcome=\"duplicate\"}")
                .contains("devloop_gateway_github_webhooks_total{event=\"ping\",outcome=\"ping\"}");
    }

    @Test
    void badOrForeignSignaturesAndUnknownTenantsAre401AndPublishNothing() throws Exception {
        setSecret(tenant, secret);
        String other = Tokens.newTenant();
        String otherSecret = "gh-other-" + UUID.randomUUID();
        setSecret(other, otherSecret);
        String unknown = Tokens.newTenant();
        String tampered = new String(PULL_REQUEST, StandardCharsets.UTF_8).replace("Codertocat", "Mallory");

        List<Response> refused = List.of(
                post(
                        tenant,
                        UUID.randomUUID().toString(),
                        "pull_request",
                        PULL_REQUEST,
                        sign("not-the-secret-at-all", PULL_REQUEST)),
                post(tenant, UUID.randomUUID().toString(), "pull_request", PULL_REQUEST, null),
                post(
                        tenant,
                        UUID.randomUUID().toString(),
                        "pull_request",
                        PULL_REQUEST,
                        "sha1=" + sign(secret, PULL_REQUEST).substring(7, 47)),
                post(tenant, UUID.randomUUID().toString(), "pull_request", PULL_REQUEST, "sha256=zz"),
                post(
                        tenant,
                        UUID.randomUUID().toString(),
                        "pull_request",
                        tampered.getBytes(StandardCharsets.UTF_8),
                        sign(secret, PULL_REQUEST)),
                post(
                        tenant,
                        UUID.randomUUID().toString(),
                        "pull_request",
                        PULL_REQUEST,
                        sign(otherSecret, PULL_REQUEST)),
                post(unknown, UUID.randomUUID().toString(), "pull_request", PULL_REQUEST, sign(secret, PULL_REQUEST)),
                post(
                        "not a tenant!",
                        UUID.randomUUID().toString(),
                        "pull_request",
                        PULL_REQUEST,
                        sign(secret, PULL_REQUEST)));
        String firstDetail = null;
        for (Response answer : refused) {
            answer.then()
                    .statusCode(401)
                    .contentType("application/problem+json")
                    .body("type", equalTo("https://devloop.dev/problems/github-signature-invalid"));
            String detail = answer.jsonPath().getString("detail");
            firstDetail = firstDetail == null ? detail : firstDetail;
            assertThat(detail).as("never says which check failed").isEqualTo(firstDetail);
        }

        String marker = acceptMarker(tenant, secret);
        List<ConsumerRecord<String, String>> published = publishedUntil(tenant, marker);
        assertThat(published)
                .extracting(r -> JSON.readTree(r.value()).get("id").asText())
                .containsExactly(marker);
        // the unknown tenant gets a secret only now: its first record must be the marker sent after that
        String unknownSecret = "gh-late-" + UUID.randomUUID();
        setSecret(unknown, unknownSecret);
        String unknownMarker = acceptMarker(unknown, unknownSecret);
        assertThat(publishedUntil(unknown, unknownMarker))
                .extracting(r -> JSON.readTree(r.value()).get("id").asText())
                .containsExactly(unknownMarker);
        assertThat(given().when().get("/q/metrics").then().extract().asString())
                .contains("devloop_gateway_github_webhooks_total{event=\"unknown\",outcome=\"bad_signature\"}");
    }

    @Test
    void tooLargeBodiesAre413AndMissingHeadersAre400NamingThem() {
        setSecret(tenant, secret);
        byte[] big = ("{\"pad\":\"" + "x".repeat(70_000) + "\"}").getBytes(StandardCharsets.UTF_8);
        post(tenant, UUID.randomUUID().toString(), "push", big, sign(secret, big))
                .then()
                .statusCode(413)
                .contentType("application/problem+json")
                .body("field", equalTo("body"));

        given().contentType(ContentType.JSON)
                .header("X-Hub-Signature-256", sign(secret, PULL_REQUEST))
                .header("X-GitHub-Event", "pull_request")
                .body(PULL_REQUEST)
                .when()
                .post(url(tenant))
                .then()
                .statusCode(400)
                .body("field", equalTo("X-GitHub-Delivery"));
        post(tenant, "not-a-uuid", "pull_request", PULL_REQUEST, sign(secret, PULL_REQUEST))
                .then()
                .statusCode(400)
                .body("field", equalTo("X-GitHub-Delivery"));
        given().contentType(ContentType.JSON)
                .header("X-Hub-Signature-256", sign(secret, PULL_REQUEST))
                .header("X-GitHub-Delivery", UUID.randomUUID().toString())
                .body(PULL_REQUEST)
                .when()
                .post(url(tenant))
                .then()
                .statusCode(400)
                .body("field", equalTo("X-GitHub-Event"));
        String form = "payload=%7B%7D";
        given().contentType("application/x-www-form-urlencoded")
                .header("X-Hub-Signature-256", sign(secret, form.getBytes(StandardCharsets.US_ASCII)))
                .header("X-GitHub-Delivery", UUID.randomUUID().toString())
                .header("X-GitHub-Event", "push")
                .body(form)
                .when()
                .post(url(tenant))
                .then()
                .statusCode(400)
                .body("field", equalTo("body"));
    }

    @Test
    void onlyAdminsSetTheSecretWhichIsNeverAnsweredAndRotationKeepsThePreviousOneForItsGracePeriod() {
        for (String role : List.of("viewer", "operator")) {
            given().auth()
                    .oauth2(Tokens.valid(tenant, role))
                    .contentType(ContentType.JSON)
                    .body(Map.of("secret", secret))
                    .when()
                    .put("/api/v1/integrations/github/secret")
                    .then()
                    .statusCode(403)
                    .body(not(containsString(secret)));
        }
        given().contentType(ContentType.JSON)
                .body(Map.of("secret", secret))
                .when()
                .put("/api/v1/integrations/github/secret")
                .then()
                .statusCode(401);
        String shortSecret = "short-" + UUID.randomUUID().toString().substring(0, 8);
        given().auth()
                .oauth2(Tokens.valid(tenant, "admin"))
                .contentType(ContentType.JSON)
                .body(Map.of("secret", shortSecret))
                .when()
                .put("/api/v1/integrations/github/secret")
                .then()
                .statusCode(400)
                .body("field", equalTo("secret"))
                .body(not(containsString(shortSecret)));
        // refused attempts stored nothing
        post(tenant, UUID.randomUUID().toString(), "ping", PING, sign(secret, PING))
                .then()
                .statusCode(401);

        setSecret(tenant, secret);
        String rotated = "gh-rotated-" + UUID.randomUUID();
        setSecret(tenant, rotated);
        post(tenant, UUID.randomUUID().toString(), "ping", PING, sign(secret, PING))
                .then()
                .statusCode(200)
                .body(not(containsString(secret)));
        post(tenant, UUID.randomUUID().toString(), "ping", PING, sign(rotated, PING))
                .then()
                .statusCode(200);
        post(tenant, UUID.randomUUID().toString(), "ping", PING, sign("gh-never-" + UUID.randomUUID(), PING))
                .then()
                .statusCode(401);
    }

    @Test
    void theUntenantedUrlTakesARegisteredRepositorysDeliveryVerifiedWithItsTenantsSecret() throws Exception {
        setSecret(tenant, secret);
        String other = Tokens.newTenant();
        String otherSecret = "gh-other-" + UUID.randomUUID();
        setSecret(other, otherSecret);
        // the recorded payload, its repository renamed so that every run registers a repository of its own
        String repository =
                "Codertocat/Hello-World-" + UUID.randomUUID().toString().substring(0, 8);
        byte[] payload = new String(PULL_REQUEST, StandardCharsets.UTF_8)
                .replace("\"Codertocat/Hello-World\"", "\"" + repository + "\"")
                .getBytes(StandardCharsets.UTF_8);
        String delivery = UUID.randomUUID().toString();

        postUntenanted(delivery, payload, sign(secret, payload))
                .then()
                .statusCode(401)
                .body("type", equalTo("https://devloop.dev/problems/github-signature-invalid"));
        registerRepository(tenant, repository)
                .then()
                .statusCode(201)
                .body("repository", equalTo(repository.toLowerCase()));

        postUntenanted(delivery, payload, sign(secret, payload))
                .then()
                .statusCode(202)
                .body("id", equalTo(delivery))
                .body("duplicate", equalTo(false));
        postUntenanted(delivery, payload, sign(secret, payload))
                .then()
                .statusCode(200)
                .body("duplicate", equalTo(true));
        post(tenant, delivery, "pull_request", payload, sign(secret, payload))
                .then() // the same delivery on the tenant's own URL is the same replay
                .statusCode(200)
                .body("duplicate", equalTo(true));

        String badSignatureDetail = post(
                        tenant, UUID.randomUUID().toString(), "pull_request", payload, sign("not-the-secret", payload))
                .then()
                .statusCode(401)
                .extract()
                .jsonPath()
                .getString("detail");
        byte[] unknown = new String(payload, StandardCharsets.UTF_8)
                .replace(
                        repository,
                        "Nobody/Registered-" + UUID.randomUUID().toString().substring(0, 8))
                .getBytes(StandardCharsets.UTF_8);
        byte[] noRepository = "{\"zen\":\"Design for failure.\"}".getBytes(StandardCharsets.UTF_8);
        for (Response refused : List.of(
                postUntenanted(UUID.randomUUID().toString(), payload, sign(otherSecret, payload)),
                postUntenanted(UUID.randomUUID().toString(), payload, null),
                postUntenanted(UUID.randomUUID().toString(), unknown, sign(secret, unknown)),
                postUntenanted(UUID.randomUUID().toString(), noRepository, sign(secret, noRepository)))) {
            refused.then()
                    .statusCode(401)
                    .contentType("application/problem+json")
                    .body("type", equalTo("https://devloop.dev/problems/github-signature-invalid"))
                    .body("detail", equalTo(badSignatureDetail));
        }

        String marker = acceptMarker(tenant, secret);
        List<ConsumerRecord<String, String>> published = publishedUntil(tenant, marker);
        assertThat(published)
                .extracting(r -> JSON.readTree(r.value()).get("id").asText())
                .containsExactly(delivery, marker);
        JsonNode event = JSON.readTree(published.get(0).value());
        assertThat(event.get("tenant").asText()).isEqualTo(tenant);
        assertThat(event.get("subject").asText()).isEqualTo(repository);
        assertThat(event.get("data")).isEqualTo(JSON.readTree(payload));

        deleteRepository(other, repository).then().statusCode(404);
        deleteRepository(tenant, repository).then().statusCode(204);
        postUntenanted(UUID.randomUUID().toString(), payload, sign(secret, payload))
                .then() // a removed repository is unknown again
                .statusCode(401);

        byte[] big = ("{\"pad\":\"" + "x".repeat(70_000) + "\"}").getBytes(StandardCharsets.UTF_8);
        postUntenanted(UUID.randomUUID().toString(), big, sign(secret, big))
                .then()
                .statusCode(413)
                .body("field", equalTo("body"));
    }

    @Test
    void aRepositoryBelongsToOneTenantAndOnlyAdminsRegisterIt() {
        String repository = "Octo-Org/repo." + UUID.randomUUID().toString().substring(0, 8);
        String other = Tokens.newTenant();

        registerRepository(tenant, repository).then().statusCode(201);
        registerRepository(tenant, repository.toUpperCase())
                .then() // again, in another case: already this tenant's
                .statusCode(200)
                .body("repository", equalTo(repository.toLowerCase()));
        registerRepository(other, repository)
                .then()
                .statusCode(409)
                .contentType("application/problem+json")
                .body("type", equalTo("https://devloop.dev/problems/github-repository-taken"))
                .body("field", equalTo("repository"));
        given().auth()
                .oauth2(Tokens.valid(tenant, "admin"))
                .when()
                .get("/api/v1/integrations/github/repositories")
                .then()
                .statusCode(200)
                .body("repositories", equalTo(List.of(repository.toLowerCase())));
        given().auth()
                .oauth2(Tokens.valid(other, "admin"))
                .when()
                .get("/api/v1/integrations/github/repositories")
                .then()
                .statusCode(200)
                .body("repositories", equalTo(List.of()));
        for (String role : List.of("viewer", "operator")) {
            given().auth()
                    .oauth2(Tokens.valid(other, role))
                    .when()
                    .put("/api/v1/integrations/github/repositories/someone/" + UUID.randomUUID())
                    .then()
                    .statusCode(403);
        }
        given().when()
                .put("/api/v1/integrations/github/repositories/someone/else")
                .then()
                .statusCode(401);
        registerRepository(tenant, "-bad-owner/repo")
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("field", equalTo("repository"));
        deleteRepository(tenant, repository).then().statusCode(204);
        registerRepository(other, repository).then().statusCode(201); // free again
        deleteRepository(other, repository).then().statusCode(204);
    }

    private static Response registerRepository(String forTenant, String repository) {
        return given().auth()
                .oauth2(Tokens.valid(forTenant, "admin"))
                .when()
                .put("/api/v1/integrations/github/repositories/" + repository);
    }

    private static Response deleteRepository(String forTenant, String repository) {
        return given().auth()
                .oauth2(Tokens.valid(forTenant, "admin"))
                .when()
                .delete("/api/v1/integrations/github/repositories/" + repository);
    }

    private static Response postUntenanted(String delivery, byte[] body, String signature) {
        RequestSpecification request = given().contentType(ContentType.JSON)
                .header("X-GitHub-Delivery", delivery)
                .header("X-GitHub-Event", "pull_request")
                .header("User-Agent", "GitHub-Hookshot/test")
                .body(body);
        if (signature != null) {
            request = request.header("X-Hub-Signature-256", signature);
        }
        return request.when().post("/api/v1/integrations/github/webhook");
    }

    private void setSecret(String forTenant, String value) {
        String answer = given().auth()
                .oauth2(Tokens.valid(forTenant, "admin"))
                .contentType(ContentType.JSON)
                .body(Map.of("secret", value))
                .when()
                .put("/api/v1/integrations/github/secret")
                .then()
                .statusCode(204)
                .extract()
                .asString();
        assertThat(answer).doesNotContain(value);
    }

    /** A delivery accepted after the ones under test: it is on the tenant's partition after any of them. */
    private String acceptMarker(String forTenant, String withSecret) {
        String marker = UUID.randomUUID().toString();
        post(forTenant, marker, "pull_request", PULL_REQUEST, sign(withSecret, PULL_REQUEST))
                .then()
                .statusCode(202);
        return marker;
    }

    private static Response post(String forTenant, String delivery, String event, byte[] body, String signature) {
        RequestSpecification request = given().contentType(ContentType.JSON)
                .header("X-GitHub-Delivery", delivery)
                .header("X-GitHub-Event", event)
                .header("User-Agent", "GitHub-Hookshot/test")
                .body(body);
        if (signature != null) {
            request = request.header("X-Hub-Signature-256", signature);
        }
        return request.when().post(url(forTenant));
    }

    private static String url(String forTenant) {
        return "/api/v1/integrations/github/" + forTenant + "/webhook";
    }

    /** As GitHub signs: HMAC-SHA256 of the raw body with the webhook's secret, hex, prefixed {@code sha256=}. */
    private static String sign(String key, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return "sha256=" + HexFormat.of().formatHex(mac.doFinal(body));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** The tenant's records on the topic, in order, up to and including the one with id {@code untilId}. */
    private List<ConsumerRecord<String, String>> publishedUntil(String forTenant, String untilId) throws Exception {
        List<ConsumerRecord<String, String>> found = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = consumer()) {
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(300))) {
                    if (forTenant.equals(record.key())) {
                        found.add(record);
                        if (untilId.equals(
                                JSON.readTree(record.value()).get("id").asText())) {
                            return found;
                        }
                    }
                }
            }
        }
        throw new AssertionError("delivery " + untilId + " never arrived on " + Topics.FORGE_EVENTS + "; saw " + found);
    }

    private KafkaConsumer<String, String> consumer() {
        Properties props = new Properties();
        props.put("bootstrap.servers", bootstrap);
        props.put("group.id", "github-webhook-test-" + UUID.randomUUID());
        props.put("auto.offset.reset", "earliest");
        props.put("key.deserializer", StringDeserializer.class.getName());
        props.put("value.deserializer", StringDeserializer.class.getName());
        KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props);
        consumer.subscribe(List.of(Topics.FORGE_EVENTS));
        return consumer;
    }

    private static byte[] resource(String name) {
        try (InputStream in = GithubWebhookTest.class.getClassLoader().getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource " + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
