// Devloop dashboard: reads GET /api/v1/events (SSE) with a bearer token through fetch, so the token
// travels in the Authorization header (EventSource cannot send one), resumes with Last-Event-ID, and
// renders health, the agent tree, runs, tool calls and usage. Event data is only ever set as text.
"use strict";

const MAX_LOG = 200;
const MAX_ROWS = 100;
const state = { controller: null, lastEventId: null, agents: new Map(), usage: new Map(), health: new Map(), token: null };
const TERMINAL = new Set(["COMPLETED", "FAILED", "GUARDRAIL_BLOCKED", "TRIPPED", "CANCELLED"]);
const MAX_POLLS = 300;

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
  total.cost += Number(d.costUsd ?? d.cost) || 0;
  state.usage.set(provider, total);
  prependRow("usage", provider, [provider, total.calls, total.input, total.output,
    total.cost ? `$${total.cost.toFixed(4)}` : "n/a"], -1);
}

// ---- REST calls with the token (start a run, read its steps and its agent tree, health) ----

async function api(path, options = {}) {
  const headers = Object.assign({ Authorization: `Bearer ${state.token}`, Accept: "application/json" }, options.headers || {});
  const response = await fetch(path, Object.assign({}, options, { headers }));
  let body = null;
  try { body = await response.json(); } catch (e) { /* no JSON body */ }
  if (!response.ok) {
    const detail = body ? `${body.title || ""}: ${body.detail || ""}` : "";
    throw new Error(`${response.status} ${detail}`);
  }
  return body;
}

function mergeTree(node) {
  if (!node || !node.id) return;
  const known = state.agents.get(node.id) || {};
  state.agents.set(node.id, { id: node.id, type: node.type || known.type, level: node.level || known.level,
    parentId: node.parentId !== undefined ? node.parentId : known.parentId, status: node.status || known.status,
    note: known.note });
  (node.children || []).forEach(mergeTree);
}

function stepSummary(step) {
  if (String(step.kind || "").toUpperCase() === "MODEL_CALL") {
    const calls = (step.toolCalls || []).map((c) => c.name).join(", ");
    return `${step.provider || ""} ${step.model || ""} → ${calls ? `calls ${calls}` : (step.text || step.finishReason || "")}`;
  }
  if (step.tool) return `${step.tool} ${step.status || ""}${step.error ? ` (${step.error})` : ""}`;
  if (step.policy || step.stage) return `${step.policy || ""} ${step.stage || ""} ${step.status || ""}`;
  return step.text || step.status || "";
}

function renderRun(run) {
  const usage = run.usage || {};
  const steps = Array.isArray(run.steps) ? run.steps : [];
  prependRow("runs", run.id, [run.id, `${run.agentType || ""} ${run.agentId || ""}`, run.status,
    steps.map((s) => s.kind).join(", "), usage.totalTokens, run.updatedAt ? new Date(run.updatedAt).toLocaleTimeString() : ""], 2);
  $("steps-run").textContent = `(${run.id} · ${run.status})`;
  const body = $("steps");
  body.replaceChildren();
  for (const step of steps) {
    const row = document.createElement("tr");
    const kind = String(step.kind || "").toUpperCase();
    row.dataset.kind = kind;
    cell(row, step.index);
    cell(row, kind, kind);
    cell(row, stepSummary(step));
    cell(row, step.usage ? step.usage.totalTokens : "");
    cell(row, step.durationMs);
    body.appendChild(row);
  }
}

async function followRun(runId, agentId) {
  for (let i = 0; i < MAX_POLLS; i++) {
    const run = await api(`/api/v1/runs/${encodeURIComponent(runId)}`);
    renderRun(run);
    const root = agentId || run.agentId;
    if (root) {
      try { mergeTree(await api(`/api/v1/agents/${encodeURIComponent(root)}`)); renderAgents(); } catch (e) { /* not yet */ }
    }
    if (TERMINAL.has(run.status)) {
      $("run-status").textContent = `Run ${runId}: ${run.status}`;
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
}

async function startRun(event) {
  event.preventDefault();
  const token = $("token").value.trim();
  if (!token) { $("run-status").textContent = "Paste a token first."; return; }
  state.token = token;
  const type = $("agent-type").value.trim();
  const input = $("run-input").value;
  $("start-run-button").disabled = true;
  try {
    const run = await api(`/api/v1/agents/${encodeURIComponent(type)}/runs`, {
      method: "POST", headers: { "Content-Type": "application/json", "Idempotency-Key": crypto.randomUUID() },
      body: JSON.stringify({ input }) });
    $("run-status").textContent = `Run ${run.id}: ${run.status}`;
    renderRun(run);
    await followRun(run.id, run.agentId);
  } catch (e) {
    $("run-status").textContent = `Run refused: ${e.message}`;
  } finally {
    $("start-run-button").disabled = false;
  }
}

async function pollHealth() {
  try {
    const response = await fetch("/q/health", { headers: { Accept: "application/json" } });
    const health = await response.json();
    for (const check of health.checks || []) {
      const data = check.data || {};
      const details = Object.entries(data).map(([k, v]) => `${k}=${v}`).join(" ");
      prependRow("health", check.name, [check.name, check.status, details, new Date().toLocaleTimeString()], 1);
    }
  } catch (e) { /* health unreachable: the rows keep their last state */ }
}

async function loadAgentTypes() {
  try {
    const types = await api("/api/v1/agent-types?fields=type");
    const list = $("agent-types");
    list.replaceChildren();
    for (const t of types.items || []) {
      const option = document.createElement("option");
      option.value = t.type;
      list.appendChild(option);
    }
  } catch (e) { /* free text still works */ }
}

function handle(id, type, raw) {
  let event;
  try { event = JSON.parse(raw); } catch (e) { return; }
  if (id) state.lastEventId = id;
  const topic = type || event.type || "";
  if (topic.startsWith("dev.devloop.agent.run.") || topic.startsWith("agent.run.")) onResult(event);
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
  state.token = token;
  loadAgentTypes();
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
  $("start-run").addEventListener("submit", startRun);
  pollHealth();
  setInterval(pollHealth, 10000);
});
