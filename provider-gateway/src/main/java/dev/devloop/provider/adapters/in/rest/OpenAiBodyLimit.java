package dev.devloop.provider.adapters.in.rest;

import io.quarkus.runtime.configuration.MemorySize;
import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * A body announced above {@code quarkus.http.limits.max-body-size} is refused by the HTTP layer with an empty
 * 413 before any JAX-RS code runs; on the OpenAI-compatible routes this route (ahead of that check) answers the
 * same 413 with OpenAI's error body ({@code code: request_too_large}) and closes the connection.
 */
@ApplicationScoped
public class OpenAiBodyLimit {
    private final Optional<MemorySize> maxBodySize;

    public OpenAiBodyLimit(
            @ConfigProperty(name = "quarkus.http.limits.max-body-size") Optional<MemorySize> maxBodySize) {
        this.maxBodySize = maxBodySize;
    }

    void install(@Observes Router router) {
        if (maxBodySize.isEmpty()) {
            return;
        }
        long limit = maxBodySize.get().asLongValue();
        router.route().order(-100).handler(ctx -> {
            String length = ctx.request().getHeader("Content-Length");
            if (length != null && OpenAiErrors.openAiPath(ctx.normalizedPath())) {
                long announced;
                try {
                    announced = Long.parseLong(length.trim());
                } catch (NumberFormatException e) {
                    announced = -1;
                }
                if (announced > limit) {
                    String body = OpenAiErrors.error(
                                    413,
                                    null,
                                    "the request body announces " + announced + " bytes; the limit is " + limit
                                            + " bytes (quarkus.http.limits.max-body-size)",
                                    null)
                            .toString();
                    ctx.response()
                            .setStatusCode(413)
                            .putHeader("Content-Type", "application/json")
                            .putHeader("Connection", "close")
                            .end(body);
                    return;
                }
            }
            ctx.next();
        });
    }
}
