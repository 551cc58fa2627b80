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
      replies.add(new GenerateResponse(null, List.of(call), new Usage(20, 8, 28), "scripted", "test", "tool_calls",
          false, 1));
    } catch (java.io.IOException e) {
      throw new IllegalArgumentException(e);
    }
    return this;
  }

  public ScriptedModel fail(int status, String detail) {
    replies.add(new DownstreamException("provider-gateway", status, detail, null));
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
    return (GenerateResponse) next;
  }
}
