package dev.devloop.tools.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.devloop.tools.domain.ToolDefinition;
import dev.devloop.tools.ports.in.ManageToolsUseCase;
import dev.devloop.tools.ports.in.RegisterToolCommand;
import dev.devloop.tools.ports.out.DependencyUnavailableException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A MongoDB away at start delays the shipped tools, not the start; an invalid shipped set still fails it. */
class ToolServiceStartupTest {
    private final AtomicInteger attempts = new AtomicInteger();
    private final AtomicInteger afterSeed = new AtomicInteger();
    private final AtomicReference<HealthCheckResponse> betweenAttempts = new AtomicReference<>();
    private ToolServiceStartup startup;

    @AfterEach
    void stop() {
        if (startup != null) {
            startup.onStop(null);
        }
    }

    @Test
    void aStoreAwayAtStartIsRetriedInTheBackgroundAndReadinessWaitsForIt() throws Exception {
        startup = new ToolServiceStartup(tools(3), afterSeed::incrementAndGet, Duration.ofMillis(50));

        startup.onStart(null);

        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (startup.call().getStatus() == HealthCheckResponse.Status.DOWN && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        HealthCheckResponse meanwhile = betweenAttempts.get();
        assertThat(meanwhile.getName()).isEqualTo("shipped-tools");
        assertThat(meanwhile.getStatus()).isEqualTo(HealthCheckResponse.Status.DOWN);
        assertThat(meanwhile.getData().orElseThrow().get("reason").toString())
                .contains("MongoDB unreachable")
                .contains("connection refused");
        assertThat(startup.call().getStatus()).isEqualTo(HealthCheckResponse.Status.UP);
        assertThat(attempts).hasValue(3);
        assertThat(afterSeed)
                .as("the forge's interrupted checks, once the tools are stored")
                .hasValue(1);
    }

    @Test
    void aStoreThatAnswersSeedsDuringTheStartItself() {
        startup = new ToolServiceStartup(tools(1), afterSeed::incrementAndGet, Duration.ofSeconds(10));

        startup.onStart(null);

        assertThat(startup.call().getStatus()).isEqualTo(HealthCheckResponse.Status.UP);
        assertThat(attempts).hasValue(1);
        assertThat(afterSeed).hasValue(1);
    }

    @Test
    void anInvalidShippedSetStillFailsTheStart() {
        ManageToolsUseCase broken = new Tools() {
            @Override
            public int loadShipped() {
                throw new IllegalStateException("the shipped tool set is invalid: x: no executor named y");
            }
        };
        startup = new ToolServiceStartup(broken, afterSeed::incrementAndGet, Duration.ofMillis(50));

        assertThat(catchThrowable(() -> startup.onStart(null)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("invalid");
        assertThat(startup.call().getStatus()).isEqualTo(HealthCheckResponse.Status.DOWN);
        assertThat(afterSeed).hasValue(0);
    }

    /** Stores the shipped set on the {@code succeedOn}-th attempt; the earlier ones find MongoDB away. */
    private ManageToolsUseCase tools(int succeedOn) {
        return new Tools() {
            @Override
            public int loadShipped() {
                int attempt = attempts.incrementAndGet();
                if (attempt == 2) {
                    betweenAttempts.set(startup.call()); // what readiness said after the first attempt
                }
                if (attempt < succeedOn) {
                    throw new DependencyUnavailableException(
                            "MongoDB", "connection refused", new java.net.ConnectException("connection refused"));
                }
                return 45;
            }
        };
    }

    private abstract static class Tools implements ManageToolsUseCase {
        @Override
        public Registration register(RegisterToolCommand command) {
            throw new UnsupportedOperationException();
        }

        @Override
        public ToolDefinition get(String tenant, String id) {
            throw new UnsupportedOperationException();
        }

        @Override
        public ToolDefinition disable(String tenant, String id) {
            throw new UnsupportedOperationException();
        }
    }
}
