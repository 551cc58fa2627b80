package dev.devloop.knowledge.adapters.in.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

@QuarkusTest
class ReadinessTest {

    @Test
    void everyStoreIsCheckedAndUp() {
        given().get("/q/health/ready")
                .then()
                .statusCode(200)
                .body("checks.find { it.name == 'redis' }.status", equalTo("UP"))
                .body("checks.find { it.name == 'redis' }.data.state", equalTo("OK"))
                .body("checks.find { it.name == 'mongodb' }.status", equalTo("UP"))
                .body("checks.find { it.name == 'neo4j' }.status", equalTo("UP"));
    }
}
