package dev.devloop.knowledge.adapters.in.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.junit.QuarkusTest;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

@QuarkusTest
class ReadinessTest {

    @Test
    void everyStoreIsCheckedAndUp() throws InterruptedException {
        awaitReady(); // the migrations run in the background after the start (issue 16)
        given().get("/q/health/ready")
                .then()
                .statusCode(200)
                .body("checks.find { it.name == 'redis' }.status", equalTo("UP"))
                .body("checks.find { it.name == 'redis' }.data.state", equalTo("OK"))
                .body("checks.find { it.name == 'mongodb' }.status", equalTo("UP"))
                .body("checks.find { it.name == 'neo4j' }.status", equalTo("UP"))
                .body("checks.find { it.name == 'migrations' }.status", equalTo("UP"))
                .body("checks.find { it.name == 'migrations' }.data.neo4j", equalTo("applied"))
                .body("checks.find { it.name == 'migrations' }.data.mongodb", equalTo("applied"));
    }

    private static void awaitReady() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (given().get("/q/health/ready").statusCode() != 200 && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
    }
}
