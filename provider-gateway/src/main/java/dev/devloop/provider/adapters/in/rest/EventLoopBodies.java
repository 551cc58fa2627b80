package dev.devloop.provider.adapters.in.rest;

import io.quarkus.runtime.configuration.MemorySize;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Reads request bodies on the event loop before the JAX-RS resource runs. The resource methods run on worker threads
 * (they wait for the provider), and for those Quarkus REST reads the body through a blocking stream: the worker
 * waits on the connection's monitor while the event loop hands it each chunk and the end of the request. In a
 * profile at 50 clients that handshake was 21-27 % of the gateway's CPU samples (module README); with the body
 * already read the resource parses it from memory ({@code RoutingContext#body}). Bodies are small JSON
 * (bounded by {@code quarkus.http.limits.max-body-size}, whose 413 {@link OpenAiBodyLimit} answers first).
 *
 * <p>HTTP/1.x only: on an HTTP/2 stream (the cell's own clients, e.g. tool-service's settings and circuit calls)
 * Quarkus REST pauses the request after this handler has read it to its end, which Vert.x refuses ("Request has
 * already been read"); those requests keep Quarkus REST's own body read.
 */
@ApplicationScoped
public class EventLoopBodies {
    private final Optional<MemorySize> maxBodySize;

    public EventLoopBodies(
            @ConfigProperty(name = "quarkus.http.limits.max-body-size") Optional<MemorySize> maxBodySize) {
        this.maxBodySize = maxBodySize;
    }

    void install(@Observes Router router) {
        BodyHandler bodies = BodyHandler.create(false).setPreallocateBodyBuffer(true);
        maxBodySize.ifPresent(limit -> bodies.setBodyLimit(limit.asLongValue()));
        router.route()
                .method(HttpMethod.POST)
                .method(HttpMethod.PUT)
                .method(HttpMethod.PATCH)
                .order(-90)
                .handler(ctx -> {
                    if (ctx.request().version() == HttpVersion.HTTP_2) {
                        ctx.next();
                    } else {
                        bodies.handle(ctx);
                    }
                });
    }
}
