package dev.devloop.tools.adapters.in.rest;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import com.mongodb.client.MongoClient;
import com.mongodb.client.model.Filters;
import dev.devloop.contracts.Headers;
import dev.devloop.tools.ports.out.TenantQuotaPort;
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
  @Inject TenantQuotaPort quota;
  @Inject RedisDataSource redis;
  @Inject MongoClient mongo;

  private static Response logActivity(String tenant, String key) {
    return given().header(Headers.TENANT, tenant).contentType(ContentType.JSON)
        .body("{\"arguments\":{\"message\":\"hello\"},\"agentType\":\"assistant\",\"runId\":\"r-q\",\"idempotencyKey\":\""
            + key + "\"}")
        .when().post("/tools/log_activity/invocations");
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

  @Test
  void aTenantPastItsQuotaGets429WhileOthersCarryOn() {
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
        .startsWith("denied by rule tenantQuota: tenant 'quota-test' may make at most 2 tool calls per minute");
    assertThat(logActivity("quota-test", UUID.randomUUID().toString()).statusCode()).isEqualTo(429);

    String other = "t-" + UUID.randomUUID();
    assertThat(logActivity(other, "k-1").statusCode()).isEqualTo(200);
    assertThat(logActivity(other, "k-1").jsonPath().getBoolean("replayed")).isTrue();

    List<Document> audit = mongo.getDatabase("devloop_tools").getCollection("audit")
        .find(Filters.and(Filters.eq("tenant", "quota-test"), Filters.eq("rule", "tenantQuota"))).into(new ArrayList<>());
    assertThat(audit).isNotEmpty().allSatisfy(d -> assertThat(d.getString("outcome")).isEqualTo("DENIED"));
  }
}
