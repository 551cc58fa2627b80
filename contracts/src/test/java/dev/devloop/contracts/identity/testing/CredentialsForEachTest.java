package dev.devloop.contracts.identity.testing;

import io.quarkus.test.junit.callback.QuarkusTestBeforeEachCallback;
import io.quarkus.test.junit.callback.QuarkusTestMethodContext;
import io.restassured.RestAssured;
import io.restassured.filter.Filter;
import java.util.List;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * Registered for every {@code @QuarkusTest} of a module that has the contracts test-jar: when the service under
 * test verifies inbound credentials, its RestAssured calls carry one (see {@link TenantHeaderCredentials}).
 */
public final class CredentialsForEachTest implements QuarkusTestBeforeEachCallback {
    @Override
    public void beforeEach(QuarkusTestMethodContext context) {
        var config = ConfigProvider.getConfig();
        boolean inbound = config.getOptionalValue("devloop.identity.inbound", Boolean.class)
                .orElse(true);
        var service = config.getOptionalValue("devloop.identity.service", String.class);
        if (!inbound || service.isEmpty()) {
            return;
        }
        // RestAssured's global filters outlive the application restarts between test classes, and each restart loads
        // this filter in a new class loader: replace any earlier copy (matched by name) so exactly one acts
        List<Filter> others = RestAssured.filters().stream()
                .filter(f -> !f.getClass().getName().equals(TenantHeaderCredentials.class.getName()))
                .toList();
        RestAssured.replaceFiltersWith(others);
        RestAssured.filters(new TenantHeaderCredentials(service.get()));
    }
}
