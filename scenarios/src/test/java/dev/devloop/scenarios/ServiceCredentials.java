package dev.devloop.scenarios;

import dev.devloop.contracts.Headers;
import dev.devloop.contracts.identity.testing.TenantHeaderCredentials;
import dev.devloop.contracts.identity.testing.TestCredentials;
import io.restassured.filter.Filter;
import io.restassured.filter.FilterContext;
import io.restassured.response.Response;
import io.restassured.specification.FilterableRequestSpecification;
import io.restassured.specification.FilterableResponseSpecification;
import java.net.URI;
import java.util.List;
import java.util.Map;

/**
 * While a stack runs, a scenario's RestAssured call straight to one of its services (not the public gateway, not
 * {@code /q/}) that brings no {@code Authorization} gets what a sibling service would send: a token for that service,
 * signed as the cell member {@code devloop-test} ({@link TestCredentials}), acting for the request's
 * {@code X-Devloop-Tenant} and {@code X-Devloop-Subject}. Calls to anything else (the gateway, the model stubs) are
 * left alone, and {@link TenantHeaderCredentials#ANONYMOUS} sends none, to test the refusal.
 */
final class ServiceCredentials implements Filter {
    /** port → service name, for the services that verify internal tokens. */
    private final Map<Integer, String> services;

    ServiceCredentials(Map<Integer, String> services) {
        this.services = Map.copyOf(services);
    }

    @Override
    public Response filter(
            FilterableRequestSpecification request, FilterableResponseSpecification response, FilterContext ctx) {
        if (request.getHeaders().hasHeaderWithName(TenantHeaderCredentials.ANONYMOUS)) {
            request.removeHeader(TenantHeaderCredentials.ANONYMOUS);
        } else if (!request.getHeaders().hasHeaderWithName("Authorization")) {
            URI uri = URI.create(request.getURI());
            String service = services.get(uri.getPort());
            if (service != null && !String.valueOf(uri.getPath()).startsWith("/q/")) {
                String tenant = request.getHeaders().getValue(Headers.TENANT);
                String subject = request.getHeaders().getValue(Headers.SUBJECT);
                request.header("Authorization", TestCredentials.bearer(service, tenant, subject, List.of()));
            }
        }
        return ctx.next(request, response);
    }
}
