// An OpenAI chat-completions stub for deploy/test/fault-suite.sh, speaking the real wire format: a request
// without a tool result gets a `store_fact` tool call (the entity named after the run's input, so every run
// writes its own fact), one with a tool result gets the final answer. Each answer waits STUB_DELAY_MS so
// runs are in flight when a fault is injected. Bound to 127.0.0.1; prints its port on the first line.
import http from "node:http";

const delayMs = Number(process.env.STUB_DELAY_MS ?? "1500");
const maxBody = 1 << 20;
let calls = 0;

function completion(message, finishReason) {
  calls += 1;
  return {
    id: `chatcmpl-fault-${calls}`,
    object: "chat.completion",
    created: Math.floor(Date.now() / 1000),
    model: "gpt-4o-mini",
    choices: [{ index: 0, message, finish_reason: finishReason }],
    usage: { prompt_tokens: 60, completion_tokens: 20, total_tokens: 80 },
  };
}

function toolCall(id, name, args) {
  return completion(
    {
      role: "assistant",
      content: null,
      tool_calls: [{ id, type: "function", function: { name, arguments: JSON.stringify(args) } }],
    },
    "tool_calls",
  );
}

// The health-repair phase: the System Health agent (task "[health-restart] <service> ...") spawns a repair micro
// agent (task "[repair-restart] <service> ..."), which restarts the service with restart_service.
function healthRepair(text, answered) {
  const service = (text.match(/\[(?:health|repair)-restart\] ([a-z-]+)/) ?? [])[1];
  if (text.includes("[health-restart]")) {
    return answered
      ? completion({ role: "assistant", content: `${service} was down; a repair agent restarted it.` }, "stop")
      : toolCall("call_spawn_repair", "spawn_agent", {
          agent_type: "repair",
          task: `[repair-restart] ${service} refuses connections: restart it`,
        });
  }
  return answered
    ? completion({ role: "assistant", content: `${service} restarted.` }, "stop")
    : toolCall("call_restart", "restart_service", { service, reason: "its port refuses connections" });
}

function answer(request) {
  const messages = Array.isArray(request.messages) ? request.messages : [];
  const user = [...messages].reverse().find((m) => m.role === "user");
  const text = typeof user?.content === "string" ? user.content : "fact";
  const answered = messages.some((m) => m.role === "tool");
  if (/\[(health|repair)-restart\]/.test(text)) {
    return healthRepair(text, answered);
  }
  if (answered) {
    return completion({ role: "assistant", content: "Noted." }, "stop");
  }
  const entity = (text.match(/[a-z0-9-]+$/i) ?? ["fact"])[0];
  const args = JSON.stringify({ entity, attribute: "status", value: "seen", ttl_seconds: 3600 });
  return completion(
    {
      role: "assistant",
      content: null,
      tool_calls: [{ id: `call_${entity}`, type: "function", function: { name: "store_fact", arguments: args } }],
    },
    "tool_calls",
  );
}

const server = http.createServer((req, res) => {
  if (req.method === "GET" && req.url.startsWith("/v1/models")) {
    res.writeHead(200, { "content-type": "application/json" });
    res.end(JSON.stringify({ object: "list", data: [{ id: "gpt-4o-mini", object: "model", owned_by: "stub" }] }));
    return;
  }
  if (req.method !== "POST" || !req.url.startsWith("/v1/chat/completions")) {
    res.writeHead(404, { "content-type": "application/json" });
    res.end(JSON.stringify({ error: { message: "not found", type: "invalid_request_error" } }));
    return;
  }
  const chunks = [];
  let size = 0;
  req.on("data", (c) => {
    size += c.length;
    if (size > maxBody) req.destroy();
    else chunks.push(c);
  });
  req.on("end", () => {
    let body;
    try {
      body = answer(JSON.parse(Buffer.concat(chunks).toString("utf8")));
    } catch (e) {
      res.writeHead(400, { "content-type": "application/json" });
      res.end(JSON.stringify({ error: { message: String(e), type: "invalid_request_error" } }));
      return;
    }
    setTimeout(() => {
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify(body));
    }, delayMs);
  });
});

server.listen(Number(process.env.STUB_PORT ?? "0"), "127.0.0.1", () => {
  console.log(server.address().port);
});
