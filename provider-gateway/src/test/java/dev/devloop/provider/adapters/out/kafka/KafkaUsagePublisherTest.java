package dev.devloop.provider.adapters.out.kafka;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.client.WireMock;
import com.mongodb.client.MongoClient;
import com.mongodb.client.model.Filters;
import dev.devloop.contracts.Headers;
import dev.devloop.contracts.events.CloudEvent;
import dev.devloop.contracts.events.EventGate;
import dev.devloop.contracts.events.UsageBatches;
import dev.devloop.provider.domain.UsageRecord;
import dev.devloop.provider.ports.out.PublishUsagePort;
import dev.devloop.provider.support.CommonStubs;
import dev.devloop.provider.support.OpenAiStub;
import dev.devloop.provider.support.UsageTopic;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.bson.Document;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/** Usage on {@code devloop.provider.usage} as signed per-tenant batches, read back from the real broker. */
@QuarkusTest
@WithTestResource(CommonStubs.class)
class KafkaUsagePublisherTest {
    @Inject
    EventGate eventGate;

    @Inject
    MongoClient mongo;

    @Inject
    PublishUsagePort usageEvents;

    @Inject
    MeterRegistry registry;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String kafkaBootstrap;

    private static final Duration WAIT = Duration.ofSeconds(60);

    @Test
    void everyCallArrivesOnceInASignedBatchOfItsOwnTenant() throws Exception {
        String a = "t-" + UUID.randomUUID();
        String b = "t-" + UUID.randomUUID();
        String modelA = stub(13, 5);
        String modelB = stub(21, 2);
        try (UsageTopic topic = new UsageTopic(kafkaBootstrap, eventGate)) {
            for (int i = 0; i < 7; i++) {
                call(a, modelA);
                if (i < 5) {
                    call(b, modelB);
                }
            }
            Set<String> idsA = ledgerIds(a, 7);
            Set<String> idsB = ledgerIds(b, 5);

            List<UsageTopic.Batch> batches = topic.until(
                    Set.of(a, b),
                    seen -> UsageTopic.records(seen, a).size() >= 7
                            && UsageTopic.records(seen, b).size() >= 5,
                    WAIT);

            for (UsageTopic.Batch batch : batches) {
                assertThat(batch.producer()).isEqualTo("provider-gateway");
                assertThat(batch.event().type()).isEqualTo(UsageBatches.TYPE);
                assertThat(batch.event().tenant()).isEqualTo(batch.key());
                assertThat(batch.records()).hasSizeBetween(1, UsageBatches.MAX_RECORDS);
                // a tenant's records never travel in another tenant's batch
                assertThat(ids(batch.records())).isSubsetOf(batch.key().equals(a) ? idsA : idsB);
            }
            assertExactly(UsageTopic.records(batches, a), idsA, modelA, 13, 5);
            assertExactly(UsageTopic.records(batches, b), idsB, modelB, 21, 2);
        }
    }

    @Test
    void aTenantsRecordsBeyondOneBatchAreSplitAndAllArrive() {
        String c = "t-" + UUID.randomUUID();
        String d = "t-" + UUID.randomUUID();
        double recordsBefore =
                registry.get(KafkaUsagePublisher.RECORDS).counter().count();
        Map<String, Long> tokensById = new HashMap<>();
        try (UsageTopic topic = new UsageTopic(kafkaBootstrap, eventGate)) {
            List<UsageRecord> published = new ArrayList<>();
            for (int i = 0; i < 600; i++) {
                published.add(record(c, i));
            }
            for (int i = 0; i < 3; i++) {
                published.add(record(d, 1000 + i));
            }
            published.forEach(r -> tokensById.put(r.id(), r.inputTokens()));
            published.forEach(usageEvents::publish);

            List<UsageTopic.Batch> batches = topic.until(
                    Set.of(c, d),
                    seen -> UsageTopic.records(seen, c).size() >= 600
                            && UsageTopic.records(seen, d).size() >= 3,
                    WAIT);

            List<CloudEvent> ofC = UsageTopic.records(batches, c);
            List<CloudEvent> ofD = UsageTopic.records(batches, d);
            assertThat(ofC).hasSize(600);
            assertThat(ofD).hasSize(3);
            assertThat(ids(ofC)).hasSize(600);
            assertThat(batches).allSatisfy(batch -> assertThat(batch.records())
                    .hasSizeBetween(1, UsageBatches.MAX_RECORDS)
                    .allSatisfy(e -> assertThat(e.tenant()).isEqualTo(batch.key())));
            assertThat(batches.stream().filter(batch -> batch.key().equals(c)))
                    .hasSizeGreaterThanOrEqualTo(3); // 600 records cannot fit in fewer batches of 256
            for (CloudEvent e : ofC) {
                assertThat(e.data().path("inputTokens").asLong()).isEqualTo(tokensById.get(e.id()));
                assertThat(e.data().path("agentId").asText())
                        .isEqualTo("agent-" + e.data().path("inputTokens").asLong());
            }
            assertThat(ids(ofD))
                    .containsExactlyInAnyOrderElementsOf(tokensById.keySet().stream()
                            .filter(id -> id.startsWith(d))
                            .toList());
        }
        assertThat(registry.get(KafkaUsagePublisher.RECORDS).counter().count() - recordsBefore)
                .isGreaterThanOrEqualTo(603);
    }

    /** A usage record of {@code tenant} with id {@code tenant/n} and {@code n} input tokens. */
    static UsageRecord record(String tenant, int n) {
        return new UsageRecord(
                tenant + "/" + n,
                tenant,
                "agent-" + n,
                "openai",
                "gpt-4o-mini",
                n,
                1,
                n + 1,
                false,
                false,
                "stop",
                3,
                Instant.parse("2026-12-05T07:00:00Z"),
                null);
    }

    private static void assertExactly(List<CloudEvent> events, Set<String> ledgerIds, String model, int in, int out) {
        assertThat(events).hasSize(ledgerIds.size());
        assertThat(ids(events)).isEqualTo(ledgerIds);
        for (CloudEvent e : events) {
            assertThat(e.type()).isEqualTo(UsageBatches.RECORD_TYPE);
            assertThat(e.id()).isEqualTo(e.data().path("callId").asText());
            assertThat(e.data().path("model").asText()).isEqualTo(model);
            assertThat(e.data().path("inputTokens").asLong()).isEqualTo(in);
            assertThat(e.data().path("outputTokens").asLong()).isEqualTo(out);
            assertThat(e.data().path("totalTokens").asLong()).isEqualTo(in + out);
            assertThat(e.data().path("agentId").asText()).isEqualTo("agent-1");
        }
    }

    private static Set<String> ids(List<CloudEvent> events) {
        return events.stream().map(CloudEvent::id).collect(Collectors.toSet());
    }

    /** The call ids the MongoDB ledger recorded for {@code tenant}, once it has {@code expected} of them. */
    private Set<String> ledgerIds(String tenant, int expected) throws InterruptedException {
        Set<String> ids = Set.of();
        for (int i = 0; i < 300 && ids.size() < expected; i++) {
            ids = new java.util.HashSet<>();
            for (Document doc : mongo.getDatabase("devloop_providers")
                    .getCollection("usage")
                    .find(Filters.eq("tenant", tenant))) {
                ids.add(doc.getString("_id"));
            }
            if (ids.size() < expected) {
                Thread.sleep(100);
            }
        }
        assertThat(ids).as("ledger records of %s", tenant).hasSize(expected);
        return ids;
    }

    /** A model of its own whose stubbed answer reports {@code in} and {@code out} tokens. */
    private static String stub(int in, int out) {
        String model = "m-" + UUID.randomUUID();
        OpenAiStub.server()
                .stubFor(post(urlEqualTo("/v1/chat/completions"))
                        .withRequestBody(matchingJsonPath("$.model", WireMock.equalTo(model)))
                        .willReturn(aResponse()
                                .withHeader("Content-Type", "application/json")
                                .withBody("""
                                        {"id":"chatcmpl-1","object":"chat.completion","created":1764000000,"model":"%s",
                                         "choices":[{"index":0,"message":{"role":"assistant","content":"ok"},
                                                     "finish_reason":"stop"}],
                                         "usage":{"prompt_tokens":%d,"completion_tokens":%d,"total_tokens":%d}}
                                        """.formatted(model, in, out, in + out))));
        return model;
    }

    private static void call(String tenant, String model) {
        given().contentType(ContentType.JSON)
                .header(Headers.TENANT, tenant)
                .body("""
                        {"model":"%s","messages":[{"role":"user","content":"count"}],"agentId":"agent-1"}
                        """.formatted(model))
                .when()
                .post("/v1/generate")
                .then()
                .statusCode(200);
    }
}
