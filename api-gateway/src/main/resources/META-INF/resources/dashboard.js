// Devloop dashboard: reads GET /api/v1/events (SSE) with a bearer token through fetch, so the token
// travels in the Authorization header (EventSource cannot send one), resumes with Last-Event-ID, and
// renders health, the agent tree, runs, tool calls and usage. Event data is only ever set as text.
"use strict";

const MAX_LOG = 200;
const MAX_ROWS = 100;
const state = { controller: null, lastEventId: null, agents: new Map(), usage: new Map(), health: new Map() };

const $ = (id) => document.getElementById(id);

function cell(row, text, cls) {
  const td = document.createElement("td");
  td.textContent = text === undefined || text === null ? "" : String(text);
  if (cls) td.className = cls;
  row.appendChild(td);
}

function prependRow(tbodyId, key, values, statusIndex) {
  const body = $(tbodyId);
  const existing = key ? body.querySelector(`tr[data-key="${CSS.escape(key)}"]`) : null;
  const row = document.createElement("tr");
  if (key) row.dataset.key = key;
  values.forEach((v, i) => cell(row, v, i === statusIndex ? String(v) : null));
  if (existing) existing.replaceWith(row); else body.prepend(row);
  while (body.rows.length > MAX_ROWS) body.deleteRow(body.rows.length - 1);
}

function time(event) {
  return event.time ? new Date(event.time).toLocaleTimeString() : "";
}

function onLifecycle(event) {
  const d = event.data || {};
  const id = d.agentId || event.subject;
  if (!id) return;
  const known = state.agents.get(id) || {};
  state.agents.set(id, {
    id, type: d.agentType || known.type, level: d.level || known.level,
    parentId: d.parentId !== undefined ? d.parentId : known.parentId,
    status: d.status || (event.type.endsWith(".retired") ? "RETIRED" : known.status),
    note: event.type.endsWith(".guardrail") || event.type.endsWith(".tripwire") ? event.type.split(".").pop() : known.note,
  });
  renderAgents();
}

function renderAgents() {
  const children = new Map();
  for (const agent of state.agents.values()) {
    const parent = agent.parentId && state.agents.has(agent.parentId) ? agent.parentId : "";
    if (!children.has(parent)) children.set(parent, []);
    children.get(parent).push(agent);
  }
  const build = (parentId, depth) => {
    const list = document.createElement("ul");
    for (const agent of children.get(parentId) || []) {
      const item = document.createElement("li");
      const label = document.createElement("span");
      label.textContent = `${agent.type || "agent"} (${agent.level || "?"}) ${agent.id} `;
      const status = document.createElement("strong");
      status.className = agent.status || "";
      status.textContent = (agent.status || "") + (agent.note ? ` · ${agent.note}` : "");
      item.append(label, status);
      if (depth < 10) item.appendChild(build(agent.id, depth + 1));
      list.appendChild(item);
    }
    return list;
  };
  const tree = build("", 0);
  tree.id = "agents";
  tree.className = "tree";
  $("agents").replaceWith(tree);
}

function onResult(event) {
  const d = event.data || {};
  const usage = d.usage || {};
  const steps = Array.isArray(d.steps) ? d.steps.map((s) => s.kind || s.type || "step").join(", ") : "";
  prependRow("runs", d.runId || event.subject, [d.runId || event.subject, `${d.agentType || ""} ${d.agentId || ""}`,
    d.status, steps, usage.totalTokens, time(event)], 2);
}

function onTool(event) {
  const d = event.data || {};
  prependRow("tools", null, [d.toolId, `${d.agentType || ""} ${d.agentId || ""}`,
    d.allowed === false ? `denied (${d.rule || ""})` : d.outcome, time(event)], 2);
}

function onHealth(event) {
  const d = event.data || {};
  const component = d.component || event.subject || "unknown";
  const details = d.metrics ? JSON.stringify(d.metrics) : (d.detail || d.message || "");
  prependRow("health", component, [component, d.status, details, time(event)], 1);
}

function onUsage(event) {
  const d = event.data || {};
  const provider = d.provider || "unknown";
  const total = state.usage.get(provider) || { calls: 0, input: 0, output: 0, cost: 0 };
  total.calls += 1;
  total.input += Number(d.inputTokens) || 0;
  total.output += Number(d.outputTokens) || 0;
  total.cost += Number(d.cost) || 0;
  state.usage.set(provider, total);
  prependRow("usage", provider, [provider, total.calls, total.input, total.output,
    total.cost ? total.cost.toFixed(4) : "n/a"], -1);
}

function handle(id, type, raw) {
  let event;
  try { event = JSON.parse(raw); } catch (e) { return; }
  if (id) state.lastEventId = id;
  const topic = type || event.type || "";
  if (topic.startsWith("dev.devloop.agent.run.")) onResult(event);
  else if (topic.startsWith("dev.devloop.tool.")) onTool(event);
  else if (topic.includes("usage")) onUsage(event);
  else if (topic.includes("health")) onHealth(event);
  else if (topic.startsWith("dev.devloop.agent.")) onLifecycle(event);
  const li = document.createElement("li");
  li.textContent = `${time(event)} ${topic} ${raw}`;
  $("log").prepend(li);
  while ($("log").children.length > MAX_LOG) $("log").lastElementChild.remove();
}

async function connect(token, channels) {
  const controller = new AbortController();
  state.controller = controller;
  const headers = { Authorization: `Bearer ${token}`, Accept: "text/event-stream" };
  if (state.lastEventId) headers["Last-Event-ID"] = state.lastEventId;
  $("status").textContent = "Connecting…";
  const response = await fetch(`/api/v1/events?channels=${encodeURIComponent(channels.join(","))}`,
    { headers, signal: controller.signal });
  if (!response.ok) {
    let detail = `${response.status}`;
    try { const problem = await response.json(); detail += ` ${problem.title || ""}: ${problem.detail || ""}`; } catch (e) { /* not JSON */ }
    throw new Error(detail);
  }
  $("status").textContent = `Live: ${channels.join(", ")}`;
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = "";
  let id = null, type = null, data = [];
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    buffer += value;
    let newline;
    while ((newline = buffer.indexOf("\n")) >= 0) {
      const line = buffer.slice(0, newline).replace(/\r$/, "");
      buffer = buffer.slice(newline + 1);
      if (line === "") {
        if (data.length) handle(id, type, data.join("\n"));
        id = null; type = null; data = [];
      } else if (line.startsWith("id:")) id = line.slice(3).trim();
      else if (line.startsWith("event:")) type = line.slice(6).trim();
      else if (line.startsWith("data:")) data.push(line.slice(5).replace(/^ /, ""));
    }
  }
}

function start(event) {
  event.preventDefault();
  const token = $("token").value.trim();
  const channels = [...document.querySelectorAll("input[name=channel]:checked")].map((c) => c.value);
  if (!token || channels.length === 0) {
    $("status").textContent = "A token and at least one channel are needed.";
    return;
  }
  sessionStorage.setItem("devloop.token", token);
  $("connect-button").disabled = true;
  $("disconnect-button").disabled = false;
  const loop = async (delay) => {
    try {
      await connect(token, channels);
      delay = 1000;
    } catch (e) {
      if (state.controller && state.controller.signal.aborted) return;
      $("status").textContent = `Disconnected (${e.message}); retrying…`;
      if (/^40[13]/.test(e.message)) { stop(); $("status").textContent = `Refused: ${e.message}`; return; }
    }
    if (state.controller && !state.controller.signal.aborted) setTimeout(() => loop(Math.min(delay * 2, 30000)), delay);
  };
  loop(1000);
}

function stop() {
  if (state.controller) state.controller.abort();
  $("connect-button").disabled = false;
  $("disconnect-button").disabled = true;
  $("status").textContent = "Not connected.";
}

document.addEventListener("DOMContentLoaded", () => {
  const saved = sessionStorage.getItem("devloop.token");
  if (saved) $("token").value = saved;
  $("connect").addEventListener("submit", start);
  $("disconnect-button").addEventListener("click", stop);
});
