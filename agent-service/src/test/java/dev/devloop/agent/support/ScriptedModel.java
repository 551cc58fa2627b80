package dev.devloop.agent.support;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.devloop.agent.ports.out.DownstreamException;
import dev.devloop.agent.ports.out.ModelPort;
import dev.devloop.contracts.provider.GenerateRequest;
import dev.devloop.contracts.provider.GenerateResponse;
import dev.devloop.contracts.provider.ToolCall;
import dev.devloop.contracts.provider.Usage;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedDeque;

/** A deterministic model: answers with queued replies and records every request it was sent. */
public class ScriptedModel implements ModelPort {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Deque<Object> replies = new ConcurrentLinkedDeque<>();
    private final List<GenerateRequest> requests = new ArrayList<>();

    public ScriptedModel answer(String text) {
        replies.add(new GenerateResponse(text, List.of(), new Usage(10, 5, 15), "scripted", "test", "stop", false, 1));
        return this;
    }

    public ScriptedModel callTool(String id, String name, String argumentsJson) {
        try {
            ToolCall call = new ToolCall(id, name, JSON.readTree(argumentsJson));
            replies.add(new GenerateResponse(
                    null, List.of(call), new Usage(20, 8, 28), "scripted", "test", "tool_calls", false, 1));
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException(e);
        }
        return this;
    }

    /**
     * The next call signals {@code entered}, then blocks until {@code release} opens (at most a minute)
     * and answers with a call of {@code tool} — so a test can act while a model call is in flight.
     */
    public ScriptedModel blockThenCallTool(
            java.util.concurrent.CountDownLatch entered,
            java.util.concurrent.CountDownLatch release,
            String id,
            String tool,
            String argumentsJson) {
        try {
            ToolCall call = new ToolCall(id, tool, JSON.readTree(argumentsJson));
            replies.add(new Blocking(
                    entered,
                    release,
                    new GenerateResponse(
                            null, List.of(call), new Usage(20, 8, 28), "scripted", "test", "tool_calls", false, 1)));
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException(e);
        }
        return this;
    }

    /** Like {@link #blockThenCallTool}, answering {@code text} once released. */
    public ScriptedModel blockThenAnswer(
            java.util.concurrent.CountDownLatch entered, java.util.concurrent.CountDownLatch release, String text) {
        replies.add(new Blocking(
                entered,
                release,
                new GenerateResponse(text, List.of(), new Usage(10, 5, 15), "scripted", "test", "stop", false, 1)));
        return this;
    }

    /** A reply given only once the test opens the latch. */
    private record Blocking(
            java.util.concurrent.CountDownLatch entered,
            java.util.concurrent.CountDownLatch release,
            GenerateResponse reply) {}

    public ScriptedModel reply(GenerateResponse response) {
        replies.add(response);
        return this;
    }

    public ScriptedModel fail(int status, String detail) {
        replies.add(new DownstreamException("provider-gateway", status, detail, null));
        return this;
    }

    /** The next call fails as when provider-gateway is away (unreachable: status 0, or 503), worth waiting for. */
    public ScriptedModel away(int status, String detail) {
        replies.add(new DownstreamException("provider-gateway", status, detail, null, true, null));
        return this;
    }

    public synchronized List<GenerateRequest> requests() {
        return List.copyOf(requests);
    }

    public void reset() {
        replies.clear();
        synchronized (this) {
            requests.clear();
        }
    }

    @Override
    public GenerateResponse generate(String tenant, GenerateRequest request) {
        synchronized (this) {
            requests.add(request);
        }
        Object next = replies.poll();
        if (next == null) {
            throw new IllegalStateException("the scripted model has no reply left");
        }
        if (next instanceof DownstreamException e) {
            throw e;
        }
        if (next instanceof Blocking b) {
            b.entered().countDown();
            try {
                if (!b.release().await(60, java.util.concurrent.TimeUnit.SECONDS)) {
                    throw new IllegalStateException("the test never released the blocked model call");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            return b.reply();
        }
        return (GenerateResponse) next;
    }
}
