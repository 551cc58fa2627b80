package dev.devloop.tools.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.devloop.tools.application.ToolCall;
import dev.devloop.tools.application.ToolExecutor;
import dev.devloop.tools.domain.ToolKind;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** Executors whose behaviour a test controls: counting, blocking until released, and oversized output. */
public final class TestExecutors {

    /**
     * Counts executions; blocks on {@link #gate} when armed; then throws {@link #failWith} when set, else answers "x"
     * repeated {@code size} times.
     */
    public static final class Controlled implements ToolExecutor {
        public final AtomicInteger executions = new AtomicInteger();
        public final CountDownLatch started = new CountDownLatch(1);
        public volatile CountDownLatch gate;
        public volatile RuntimeException failWith;
        private final String name;

        public Controlled(String name) {
            this.name = name;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public ToolKind kind() {
            return ToolKind.NATIVE;
        }

        @Override
        public JsonNode execute(ToolCall call) {
            executions.incrementAndGet();
            started.countDown();
            CountDownLatch g = gate;
            if (g != null) {
                try {
                    g.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            RuntimeException failure = failWith;
            if (failure != null) {
                throw failure;
            }
            int size = call.arguments().path("size").asInt(1);
            return JsonNodeFactory.instance.objectNode().put("data", "x".repeat(size));
        }
    }

    private TestExecutors() {}
}
