package dev.devloop.tools.adapters.in.rest;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import com.mongodb.client.MongoClient;
import com.mongodb.client.model.Filters;
import dev.devloop.contracts.Headers;
import dev.devloop.tools.ports.out.TenantQuotaPort;
import dev.devloop.tools.support.Stored;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.bson.Document;
import org.junit.jupiter.api.Test;

/** The per-tenant quota on the real Redis: counters, their expiry, 429 problem+json, other tenants unaffected. */
@QuarkusTest
class QuotaTest {
    @Inject
    TenantQuotaPort quota;

    @Inject
    RedisDataSource redis;

    @Inject
    MongoClient mongo;

    private static Response logActivity(String tenant, String key) {
        return given().header(Headers.TENANT, tenant)
                .contentType(ContentType.JSON)
                .body(
                        "{\"arguments\":{\"message\":\"hello\"},\"agentType\":\"assistant\",\"runId\":\"r-q\",\"idempotencyKey\":\""
                                + key + "\"}")
                .when()
                .post("/tools/log_activity/invocations");
    }

    @Test
    void countersAreAtomicPerTenantAndExpire() {
        String tenant = "t-" + UUID.randomUUID();
        Instant now = Instant.now();
        assertThat(quota.consume(tenant, now)).isEqualTo(new TenantQuotaPort.Usage(1, 1));
        assertThat(quota.consume(tenant, now)).isEqualTo(new TenantQuotaPort.Usage(2, 2));
        assertThat(quota.consume("t-" + UUID.randomUUID(), now)).isEqualTo(new TenantQuotaPort.Usage(1, 1));
        assertThat(quota.consume(tenant, now.plusSeconds(60))).isEqualTo(new TenantQuotaPort.Usage(1, 3));
        String minuteKey = "devloop:tools:quota:{" + tenant + "}:m:" + now.getEpochSecond() / 60;
        String dayKey = "devloop:tools:quota:{" + tenant + "}:d:" + now.getEpochSecond() / 86_400;
        assertThat(redis.key().pttl(minuteKey)).isBetween(1L, 120_000L);
        assertThat(redis.key().pttl(dayKey)).isBetween(120_000L, 172_800_000L);
    }

    /** The Prometheus counter of quota refusals for native tools over the minute window (0 before the first). */
    private static double minuteRefusals() {
        String page = given().when()
                .get("/q/metrics")
                .then()
                .statusCode(200)
                .extract()
                .asString();
        return page.lines()
                .filter(l -> l.startsWith("devloop_tools_quota_refusals_total{")
                        && l.contains("kind=\"native\"")
                        && l.contains("window=\"minute\""))
                // "name{labels} value" possibly followed by an exemplar "# {trace_id=…} 1.0 <timestamp>"
                .mapToDouble(
                        l -> Double.parseDouble(l.substring(l.indexOf("} ") + 2).split(" ")[0]))
                .findFirst()
                .orElse(0);
    }

    @Test
    void aTenantPastItsQuotaGets429WhileOthersCarryOn() {
        double refusalsBefore = minuteRefusals();
        // quota-test may make 2 calls per minute (%test config); earlier runs in the same minute may have used some
        List<Integer> statuses = new ArrayList<>();
        Response refused = null;
        for (int i = 0; i < 3 && refused == null; i++) {
            Response r = logActivity("quota-test", UUID.randomUUID().toString());
            statuses.add(r.statusCode());
            if (r.statusCode() == 429) {
                refused = r;
            }
        }
        assertThat(refused).as("statuses " + statuses).isNotNull();
        assertThat(statuses.stream().filter(s -> s == 200).count()).isLessThanOrEqualTo(2);
        assertThat(refused.contentType()).startsWith("application/problem+json");
        assertThat(refused.jsonPath().getString("type")).isEqualTo("https://devloop.dev/problems/tool-quota-exceeded");
        assertThat(refused.jsonPath().getString("detail"))
                .startsWith(
                        "denied by rule tenantQuota: tenant 'quota-test' may make at most 2 tool calls per minute; retry in ");
        // Retry-After: whole seconds until this minute ends, the same number the detail names
        long retryAfter = Long.parseLong(refused.header("Retry-After"));
        assertThat(retryAfter).isBetween(1L, 60L);
        assertThat(refused.jsonPath().getString("detail")).endsWith("retry in " + retryAfter + " s");
        assertThat(refused.header("RateLimit-Limit")).isEqualTo("2");
        assertThat(refused.header("RateLimit-Remaining")).isEqualTo("0");
        assertThat(refused.header("RateLimit-Reset")).isEqualTo(refused.header("Retry-After"));
        assertThat(refused.header("RateLimit-Policy")).isEqualTo("2;w=60");
        Response again = logActivity("quota-test", UUID.randomUUID().toString());
        assertThat(again.statusCode()).isEqualTo(429);
        assertThat(again.header("Retry-After")).isNotNull();
        // the two 429s of this test, labelled by window and tool kind (never by tenant or tool id)
        assertThat(minuteRefusals() - refusalsBefore).isEqualTo(2.0);
        assertThat(given().when().get("/q/metrics").asString()).doesNotContain("quota-test");

        String other = "t-" + UUID.randomUUID();
        assertThat(logActivity(other, "k-1").statusCode()).isEqualTo(200);
        assertThat(logActivity(other, "k-1").jsonPath().getBoolean("replayed")).isTrue();

        List<Document> audit =
                Stored.audit(mongo, Filters.and(Filters.eq("tenant", "quota-test"), Filters.eq("rule", "tenantQuota")));
        assertThat(audit).isNotEmpty().allSatisfy(d -> assertThat(d.getString("outcome"))
                .isEqualTo("DENIED"));
    }
}
