package dev.devloop.tools.adapters.in.rest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.devloop.tools.application.DependencyUnavailable;
import jakarta.ws.rs.core.Response;
import org.junit.jupiter.api.Test;

/** An invocation that met a dependency outage is a 503 problem+json with Retry-After: never a 409 or a 500. */
class DependencyUnavailableMapperTest {

    @Test
    void anOutageIsA503WithRetryAfterNamingTheDependency() {
        Response response = new DependencyUnavailableMapper().toResponse(new DependencyUnavailable("MongoDB", 1));

        assertThat(response.getStatus()).isEqualTo(503);
        assertThat(response.getHeaderString("Retry-After")).isEqualTo("1");
        assertThat(String.valueOf(response.getEntity()))
                .contains("dependency-unavailable")
                .contains("\"status\":503")
                .contains("MongoDB is unavailable right now")
                .contains("same idempotency key");
    }
}
