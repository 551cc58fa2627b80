package dev.devloop.agent.adapters.in.rest;

import static io.restassured.RestAssured.given;

import dev.devloop.contracts.Headers;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * What the store-outage tests share (the store is the real MongoDB behind {@link MongoBehindProxy}): a tenant of
 * their own, runs started over REST, and a bounded wait for a run's end that takes the 503s of an outage in stride.
 */
abstract class StoreOutageFixture {
    protected final String tenant;

    StoreOutageFixture(String tenantPrefix) {
        this.tenant = tenantPrefix + UUID.randomUUID();
    }

    protected RequestSpecification as() {
        return given().header(Headers.TENANT, tenant).contentType(ContentType.JSON);
    }

    /** Starts {@code count} runs of an assistant in the background, inputs {@code input 0}, {@code input 1}, …. */
    protected List<String> startRuns(int count, String input) {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            ids.add(startRun(input + " " + i));
        }
        return ids;
    }

    protected String startRun(String input) {
        return as().body(Map.of("input", input))
                .post("/agents/assistant/runs")
                .then()
                .statusCode(202)
                .extract()
                .path("id");
    }

    /** Cuts the store for {@code outage} while {@code during} runs (first), then restores it whatever happened. */
    protected static void withStoreCut(Duration outage, Runnable during) throws InterruptedException {
        MongoBehindProxy.proxy.cut();
        try {
            during.run();
            Thread.sleep(outage.toMillis());
        } finally {
            MongoBehindProxy.proxy.restore();
        }
    }

    /** Polls GET /runs/{id} (503s during an outage are expected) until the run ended; bounded. */
    protected Map<String, Object> awaitTerminal(String runId) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (System.nanoTime() < deadline) {
            Response r = as().get("/runs/" + runId);
            if (r.statusCode() == 200) {
                Map<String, Object> run = r.jsonPath().getMap("");
                if (!"RUNNING".equals(run.get("status")) && !"AWAITING_APPROVAL".equals(run.get("status"))) {
                    return run;
                }
            }
            Thread.sleep(250);
        }
        throw new AssertionError("run " + runId + " did not finish within the bound");
    }
}
