package dev.devloop.contracts.identity.testing;

import dev.devloop.contracts.Headers;
import io.restassured.filter.Filter;
import io.restassured.filter.FilterContext;
import io.restassured.response.Response;
import io.restassured.specification.FilterableRequestSpecification;
import io.restassured.specification.FilterableResponseSpecification;
import java.util.List;

/**
 * A RestAssured filter for tests that call one service directly the way a sibling would: a request with no
 * {@code Authorization} gets a token for {@code audience} acting for the {@code X-Devloop-Tenant} and
 * {@code X-Devloop-Subject} it names (none when absent). A request with {@link #ANONYMOUS} set goes out without
 * a credential, to test the refusal.
 */
public final class TenantHeaderCredentials implements Filter {
    public static final String ANONYMOUS = "X-Devloop-Test-Anonymous";

    private final String audience;

    public TenantHeaderCredentials(String audience) {
        this.audience = audience;
    }

    @Override
    public Response filter(
            FilterableRequestSpecification request, FilterableResponseSpecification response, FilterContext ctx) {
        if (request.getHeaders().hasHeaderWithName(ANONYMOUS)) {
            request.removeHeader(ANONYMOUS);
        } else if (!request.getHeaders().hasHeaderWithName("Authorization")) {
            String tenant = request.getHeaders().getValue(Headers.TENANT);
            String subject = request.getHeaders().getValue(Headers.SUBJECT);
            request.header("Authorization", TestCredentials.bearer(audience, tenant, subject, List.of()));
        }
        return ctx.next(request, response);
    }
}
