package dev.devloop.tools.adapters.out.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.devloop.contracts.knowledge.FactWrite;
import dev.devloop.tools.ports.out.DependencyUnavailableException;
import dev.devloop.tools.ports.out.DownstreamException;
import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.WebApplicationException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.util.function.Function;
import org.eclipse.microprofile.faulttolerance.exceptions.CircuitBreakerOpenException;
import org.eclipse.microprofile.faulttolerance.exceptions.TimeoutException;
import org.junit.jupiter.api.Test;

/**
 * Which knowledge-service failures are an outage (the invocation is retried, nothing recorded) and which are the
 * tool's result: a refusal, a 500, and a write cut off mid-way (it may have taken effect) stay results.
 */
class KnowledgeOutagesTest {
    private static final JsonNode NODE = JsonNodeFactory.instance.objectNode().put("id", "n1");

    /** Every call fails with what {@code failure} makes of the call's name. */
    private static KnowledgeServiceAdapter failingWith(Function<String, RuntimeException> failure) {
        return new KnowledgeServiceAdapter(new KnowledgeCalls(null, null, null, null) {
            @Override
            JsonNode store(String tenant, String entity, String attribute, FactWrite body) {
                throw failure.apply("store");
            }

            @Override
            JsonNode createRoadmapNode(String tenant, JsonNode body) {
                throw failure.apply("create");
            }

            @Override
            JsonNode updateRoadmapNode(String tenant, String id, JsonNode body) {
                throw failure.apply("update");
            }
        });
    }

    private static Throwable storing(RuntimeException failure) {
        return catchThrowable(() -> failingWith(call -> failure).storeFact("t", "e", "a", NODE, null));
    }

    private static Throwable creating(RuntimeException failure) {
        return catchThrowable(() -> failingWith(call -> failure).createRoadmapNode("t", NODE));
    }

    @Test
    void aRequestKnowledgeServiceNeverTookIsAnOutageForWritesToo() {
        for (RuntimeException neverSent : new RuntimeException[] {
            new CircuitBreakerOpenException("open"),
            new ProcessingException(new ConnectException("Connection refused")),
            new WebApplicationException(503),
            new WebApplicationException(502),
            new WebApplicationException(504)
        }) {
            assertThat(storing(neverSent))
                    .as("store after %s", neverSent)
                    .isInstanceOfSatisfying(DependencyUnavailableException.class, e -> assertThat(e.dependency())
                            .isEqualTo("knowledge-service"));
            assertThat(creating(neverSent))
                    .as("create after %s", neverSent)
                    .isInstanceOf(DependencyUnavailableException.class);
        }
    }

    @Test
    void aCallCutOffMidWayIsAnOutageOnlyWhenRepeatingItIsHarmless() {
        for (RuntimeException cutOff : new RuntimeException[] {
            new TimeoutException("5 s"), new ProcessingException(new SocketTimeoutException("read timed out"))
        }) {
            // the fact write is an overwrite of the same value: repeating it changes nothing more
            assertThat(storing(cutOff)).as("store after %s", cutOff).isInstanceOf(DependencyUnavailableException.class);
            // a created node may exist already: the model is told, the call is not repeated blindly
            assertThat(creating(cutOff))
                    .as("create after %s", cutOff)
                    .isInstanceOf(DownstreamException.class)
                    .isNotInstanceOf(DependencyUnavailableException.class);
            assertThat(catchThrowable(() -> failingWith(call -> cutOff).updateRoadmapNode("t", "n1", NODE)))
                    .isInstanceOf(DownstreamException.class);
        }
    }

    @Test
    void refusalsAndServerErrorsAreTheToolsResult() {
        assertThat(storing(new KnowledgeRejectedException("value: must not be null")))
                .isInstanceOf(DownstreamException.class)
                .hasMessage("value: must not be null");
        assertThat(storing(new WebApplicationException(500)))
                .isInstanceOf(DownstreamException.class)
                .hasMessageContaining("knowledge-service call failed");
    }
}
