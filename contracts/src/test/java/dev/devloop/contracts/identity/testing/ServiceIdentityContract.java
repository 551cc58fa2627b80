package dev.devloop.contracts.identity.testing;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import dev.devloop.contracts.Headers;
import io.restassured.specification.RequestSpecification;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * What every service behind the gateway owes its callers, run by each service's {@code @QuarkusTest} subclass
 * against one of its tenant-scoped reads: no credential is 401 problem+json with a Bearer challenge, a token for
 * another service is 403, and health needs no credential. The subclass adds the forged-tenant proof on its data.
 */
public abstract class ServiceIdentityContract {
    /**
     * The port of the service under test: the subclass answers {@code RestAssured.port}, because this class may be
     * loaded beside the application's class loader and see a RestAssured Quarkus never configured.
     */
    protected abstract int port();

    private RequestSpecification call() {
        return given().baseUri("http://127.0.0.1").port(port());
    }

    private final String service;
    private final String protectedRead;

    /** {@code protectedRead}: a GET of this service that acts for a tenant and answers problem+json refusals. */
    protected ServiceIdentityContract(String service, String protectedRead) {
        this.service = service;
        this.protectedRead = protectedRead;
    }

    protected static String newTenant() {
        return "t-" + UUID.randomUUID();
    }

    @Test
    void aCallWithoutACredentialIsUnauthenticated() {
        call().header(TenantHeaderCredentials.ANONYMOUS, "1")
                .header(Headers.TENANT, newTenant())
                .when()
                .get(protectedRead)
                .then()
                .statusCode(401)
                .contentType("application/problem+json")
                .header("WWW-Authenticate", equalTo("Bearer realm=\"devloop-cell\""))
                .body("status", equalTo(401))
                .body("instance", equalTo(protectedRead.replaceFirst("\\?.*", "")));
    }

    @Test
    void aTokenThatIsNotACellTokenIsUnauthenticated() {
        call().header("Authorization", "Bearer not.a.token")
                .when()
                .get(protectedRead)
                .then()
                .statusCode(401)
                .contentType("application/problem+json");
    }

    @Test
    void aTokenForAnotherServiceIsForbidden() {
        call().header("Authorization", TestCredentials.bearer("devloop-elsewhere", newTenant()))
                .when()
                .get(protectedRead)
                .then()
                .statusCode(403)
                .contentType("application/problem+json")
                .body("detail", equalTo("the token was not issued for " + service));
    }

    @Test
    void healthAndMetricsNeedNoCredential() {
        call().header(TenantHeaderCredentials.ANONYMOUS, "1")
                .when()
                .get("/q/health/live")
                .then()
                .statusCode(200);
        call().header(TenantHeaderCredentials.ANONYMOUS, "1")
                .when()
                .get("/q/metrics")
                .then()
                .statusCode(200);
    }
}
