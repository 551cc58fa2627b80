package dev.devloop.provider.adapters.in.rest;

import io.vertx.core.Context;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ContainerResponseFilter;
import jakarta.ws.rs.ext.Provider;

/**
 * Test-only response filter: a request carrying {@value #ASK} gets {@value #ANSWER} naming the kind of thread the
 * response filters ran on ({@code event-loop} or {@code worker}), the thread that then writes the answer.
 */
@Provider
public class WrittenOn implements ContainerResponseFilter {
    static final String ASK = "X-Test-Written-On";
    static final String ANSWER = "X-Test-Filtered-On";

    @Override
    public void filter(ContainerRequestContext request, ContainerResponseContext response) {
        if (request.getHeaderString(ASK) != null) {
            response.getHeaders().putSingle(ANSWER, Context.isOnEventLoopThread() ? "event-loop" : "worker");
        }
    }
}
