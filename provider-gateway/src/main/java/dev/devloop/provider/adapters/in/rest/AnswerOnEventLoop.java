package dev.devloop.provider.adapters.in.rest;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import org.jboss.resteasy.reactive.server.core.CurrentRequestManager;
import org.jboss.resteasy.reactive.server.core.ResteasyReactiveRequestContext;

/**
 * Moves the rest of a {@code @Blocking} route's Quarkus REST chain (waiting for its {@code Uni}, mapping and writing
 * the answer, the response filters) from the worker to the request's event loop, once the route has done what may
 * block. Quarkus REST resumes a suspended request on the executor that last ran it: for a blocking route that is the
 * worker pool, so an answer that arrived on the event loop (the non-blocking provider call) was handed to a worker
 * only to be written, and the worker handed the write back to the event loop: two thread wake-ups per call on the
 * 1-connection path (async-profiler wall clock, stop 38). Here the chain continues as the blocking dispatch does it
 * ({@code suspend} then {@code resume(executor)} while the route runs), with the request's own Vert.x context (its
 * trace and request scope) as the executor. Without an event-loop context, on the event loop already, or outside a
 * Quarkus REST request, nothing changes.
 */
final class AnswerOnEventLoop {
    private AnswerOnEventLoop() {}

    /** True when the rest of the current request's chain will run on its event loop. */
    static boolean afterThis() {
        Context context = Vertx.currentContext();
        if (context == null || !context.isEventLoopContext() || Context.isOnEventLoopThread()) {
            return false;
        }
        ResteasyReactiveRequestContext request = CurrentRequestManager.get();
        if (request == null) {
            return false;
        }
        request.suspend();
        request.resume(task -> context.runOnContext(ignored -> task.run()));
        return true;
    }
}
