package dev.devloop.provider.adapters.in.rest;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static dev.devloop.provider.adapters.in.rest.TestHttp.generate;
import static dev.devloop.provider.adapters.in.rest.TestHttp.tenant;
import static dev.devloop.provider.adapters.in.rest.TestHttp.unique;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import com.github.tomakehurst.wiremock.client.WireMock;
import dev.devloop.contracts.Headers;
import dev.devloop.provider.support.CommonStubs;
import dev.devloop.provider.support.OpenAiStub;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.redis.datasource.keys.KeyScanArgs;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** {@code GET /v1/settings}, {@code PUT /v1/settings/{setting}} on real Redis, and the cache path honouring them. */
@QuarkusTest
@WithTestResource(CommonStubs.class)
class SettingsTest {
    private static final String PATH = "/v1/chat/completions";

    @Inject
    RedisDataSource redis;

    private static ValidatableResponse put(String tenant, String setting, String body) {
        return given().contentType(ContentType.JSON)
                .header(Headers.TENANT, tenant)
                .body(body)
                .put("/v1/settings/" + setting)
                .then();
    }

    private static String stubbedModel() {
        String model = unique("m");
        OpenAiStub.server()
                .stubFor(post(urlEqualTo(PATH))
                        .withRequestBody(matchingJsonPath("$.model", WireMock.equalTo(model)))
                        .willReturn(aResponse()
                                .withStatus(200)
                                .withHeader("Content-Type", "application/json")
                                .withBody("""
            {"id":"chatcmpl-%s","object":"chat.completion","created":1764000000,"model":"%s",
             "choices":[{"index":0,"message":{"role":"assistant","content":"four"},"finish_reason":"stop"}],
             "usage":{"prompt_tokens":5,"completion_tokens":1,"total_tokens":6}}
            """.formatted(UUID.randomUUID(), model))));
        return model;
    }

    private static String deterministic(String model) {
        return "{\"model\":\"" + model
                + "\",\"messages\":[{\"role\":\"user\",\"content\":\"2+2?\"}],\"options\":{\"temperature\":0}}";
    }

    private List<String> cacheKeys(String tenant) {
        List<String> keys = new ArrayList<>();
        redis.key()
                .scan(new KeyScanArgs().match("devloop:provider:cache:" + tenant + ":*"))
                .toIterable()
                .forEach(keys::add);
        return keys;
    }

    private static int upstreamCalls(String model) {
        return OpenAiStub.server()
                .findAll(postRequestedFor(urlEqualTo(PATH))
                        .withRequestBody(matchingJsonPath("$.model", WireMock.equalTo(model))))
                .size();
    }

    @Test
    void defaultsComeFromConfigurationAndAChangeIsPerTenant() {
        String tenant = tenant();
        String other = tenant();
        given().header(Headers.TENANT, tenant)
                .get("/v1/settings")
                .then()
                .statusCode(200)
                .body("tenant", equalTo(tenant))
                .body("settings.response-cache-ttl-seconds", equalTo(3600))
                .body("settings.response-cache-enabled", equalTo(true));

        // exactly the body tool-service's update_config sends (setting = its allow-list key)
        put(tenant, "response-cache-ttl-seconds", """
        {"setting":"provider-gateway.response-cache-ttl-seconds","value":600,"reason":"cache too long","agentId":"repair-1"}
        """)
                .statusCode(200)
                .body("setting", equalTo("response-cache-ttl-seconds"))
                .body("tenant", equalTo(tenant))
                .body("previous", equalTo(3600))
                .body("value", equalTo(600));
        put(tenant, "response-cache-ttl-seconds", "{\"setting\":\"response-cache-ttl-seconds\",\"value\":900}")
                .statusCode(200)
                .body("previous", equalTo(600))
                .body("value", equalTo(900));

        assertThat(redis.value(String.class).get("devloop:provider:settings:" + tenant + ":response-cache-ttl-seconds"))
                .isEqualTo("900");
        given().header(Headers.TENANT, tenant)
                .get("/v1/settings")
                .then()
                .statusCode(200)
                .body("settings.response-cache-ttl-seconds", equalTo(900));
        given().header(Headers.TENANT, other)
                .get("/v1/settings")
                .then()
                .statusCode(200)
                .body("settings.response-cache-ttl-seconds", equalTo(3600));

        String metrics =
                given().get("/q/metrics").then().statusCode(200).extract().asString();
        assertThat(metrics)
                .containsPattern(
                        "devloop_provider_setting_changes_total\\{[^}]*setting=\"response-cache-ttl-seconds\"[^}]*} [2-9]");
    }

    @Test
    void cacheStoresWithTheTenantsTtl() {
        String tenant = tenant();
        String model = stubbedModel();
        put(tenant, "response-cache-ttl-seconds", "{\"value\":120}").statusCode(200);

        generate(tenant, deterministic(model)).then().statusCode(200).body("cached", equalTo(false));
        generate(tenant, deterministic(model)).then().statusCode(200).body("cached", equalTo(true));
        List<String> keys = cacheKeys(tenant);
        assertThat(keys).hasSize(1);
        long pttl = redis.key().pttl(keys.get(0));
        assertThat(pttl).isPositive().isLessThanOrEqualTo(120_000L);
        assertThat(upstreamCalls(model)).isEqualTo(1);

        // TTL 0: nothing is stored any more for this tenant
        String fresh = stubbedModel();
        put(tenant, "response-cache-ttl-seconds", "{\"value\":0}")
                .statusCode(200)
                .body("previous", equalTo(120));
        generate(tenant, deterministic(fresh)).then().statusCode(200).body("cached", equalTo(false));
        generate(tenant, deterministic(fresh)).then().statusCode(200).body("cached", equalTo(false));
        assertThat(upstreamCalls(fresh)).isEqualTo(2);
        assertThat(cacheKeys(tenant)).hasSize(1);
    }

    @Test
    void disabledCacheMeansNoLookupAndNoStoreForThatTenantOnly() {
        String tenant = tenant();
        String other = tenant();
        String model = stubbedModel();
        generate(tenant, deterministic(model)).then().statusCode(200).body("cached", equalTo(false));
        assertThat(cacheKeys(tenant)).hasSize(1);

        put(
                        tenant,
                        "response-cache-enabled",
                        "{\"setting\":\"provider-gateway.response-cache-enabled\",\"value\":false}")
                .statusCode(200)
                .body("previous", equalTo(true))
                .body("value", equalTo(false));
        // the stored entry is not looked up: the provider is called again
        generate(tenant, deterministic(model)).then().statusCode(200).body("cached", equalTo(false));
        assertThat(upstreamCalls(model)).isEqualTo(2);
        String fresh = stubbedModel();
        generate(tenant, deterministic(fresh)).then().statusCode(200).body("cached", equalTo(false));
        assertThat(cacheKeys(tenant)).hasSize(1); // nothing new stored

        // another tenant still caches
        generate(other, deterministic(fresh)).then().statusCode(200).body("cached", equalTo(false));
        generate(other, deterministic(fresh)).then().statusCode(200).body("cached", equalTo(true));

        put(tenant, "response-cache-enabled", "{\"value\":true}")
                .statusCode(200)
                .body("previous", equalTo(false));
        generate(tenant, deterministic(model)).then().statusCode(200).body("cached", equalTo(true));
    }

    @Test
    void aValueWrittenByAnotherReplicaIsSeen() {
        String tenant = tenant();
        String model = stubbedModel();
        // another replica's PUT is a write to the shared key; this replica has not read the tenant yet
        redis.value(String.class).set("devloop:provider:settings:" + tenant + ":response-cache-enabled", "false");
        generate(tenant, deterministic(model)).then().statusCode(200).body("cached", equalTo(false));
        generate(tenant, deterministic(model)).then().statusCode(200).body("cached", equalTo(false));
        assertThat(cacheKeys(tenant)).isEmpty();
        given().header(Headers.TENANT, tenant)
                .get("/v1/settings")
                .then()
                .statusCode(200)
                .body("settings.response-cache-enabled", equalTo(false));
    }

    @Test
    void badChangesAreRejected() {
        String tenant = tenant();
        put(tenant, "response-cache-size", "{\"value\":1}")
                .statusCode(404)
                .contentType("application/problem+json")
                .body("type", equalTo("https://devloop.dev/problems/unknown-setting"))
                .body("detail", containsString("response-cache-size"));
        put(tenant, "response-cache-ttl-seconds", "{\"value\":\"600\"}")
                .statusCode(400)
                .contentType("application/problem+json")
                .body("field", equalTo("value"));
        put(tenant, "response-cache-ttl-seconds", "{\"value\":86401}")
                .statusCode(400)
                .body("field", equalTo("value"))
                .body("detail", containsString("86400"));
        put(tenant, "response-cache-ttl-seconds", "{\"value\":-1}")
                .statusCode(400)
                .body("field", equalTo("value"));
        put(tenant, "response-cache-ttl-seconds", "{\"value\":1.5}")
                .statusCode(400)
                .body("field", equalTo("value"));
        put(tenant, "response-cache-enabled", "{\"value\":1}").statusCode(400).body("field", equalTo("value"));
        put(tenant, "response-cache-enabled", "{\"value\":\"yes\"}")
                .statusCode(400)
                .body("field", equalTo("value"));
        put(tenant, "response-cache-enabled", "{}").statusCode(400).body("field", equalTo("value"));
        put(tenant, "response-cache-enabled", "{\"setting\":\"response-cache-ttl-seconds\",\"value\":true}")
                .statusCode(400)
                .body("field", equalTo("setting"));
        put(tenant, "response-cache-enabled", "{\"value\":true,\"reason\":7}")
                .statusCode(400)
                .body("field", equalTo("reason"));
        put(tenant, "response-cache-enabled", "[true]").statusCode(400).body("field", equalTo("body"));
        given().contentType(ContentType.JSON)
                .body("{\"value\":true}")
                .put("/v1/settings/response-cache-enabled")
                .then()
                .statusCode(400)
                .contentType("application/problem+json");
        given().get("/v1/settings").then().statusCode(400).contentType("application/problem+json");
        // nothing was stored by the rejected changes
        given().header(Headers.TENANT, tenant)
                .get("/v1/settings")
                .then()
                .statusCode(200)
                .body("settings.response-cache-ttl-seconds", equalTo(3600))
                .body("settings.response-cache-enabled", equalTo(true));
    }
}
