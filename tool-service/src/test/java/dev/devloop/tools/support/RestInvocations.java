package dev.devloop.tools.support;

import static io.restassured.RestAssured.given;

import dev.devloop.contracts.Headers;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.response.ValidatableResponse;
import java.util.UUID;

/** {@code POST /tools/{id}/invocations} over HTTP, as the {@code @QuarkusTest} classes call it. */
public final class RestInvocations {
    private RestInvocations() {}

    /** The call with {@code body} as the whole request body. */
    public static Response invoke(String tenant, String tool, String body) {
        return given().header(Headers.TENANT, tenant)
                .contentType(ContentType.JSON)
                .body(body)
                .when()
                .post("/tools/" + tool + "/invocations");
    }

    /** The call of {@code agentType}'s agent {@code a-1} in run {@code r-1}, with a fresh idempotency key. */
    public static ValidatableResponse invoke(String tenant, String tool, String args, String agentType) {
        return invoke(
                        tenant,
                        tool,
                        "{\"arguments\":" + args + ",\"agentType\":\"" + agentType
                                + "\",\"agentId\":\"a-1\",\"runId\":\"r-1\",\"idempotencyKey\":\"" + UUID.randomUUID()
                                + "\"}")
                .then();
    }
}
