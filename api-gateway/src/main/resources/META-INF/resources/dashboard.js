// Devloop dashboard: reads GET /api/v1/events (SSE) with a bearer token through fetch, so the token
// travels in the Authorization header (EventSource cannot send one), resumes with Last-Event-ID, and
// renders health, the agent tree, runs, tool calls and usage; the Roadmap page shows a milestone's tree with
// roll-ups, its critical path, the ready set and pending approvals. Event data is only ever set as text.
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
    const answer = `${step.provider || ""} ${step.model || ""} → ${calls ? `calls ${calls}` : (step.text || step.finishReason || "")}`;
    return step.reasoning ? `${answer} · reasoning: ${step.reasoning}` : answer;
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
    // the gateway's own health, then its dependencies (siblings, MongoDB, Kafka: one row each)
    for (const url of ["/q/health", "/q/health/group/dependencies"]) {
      const response = await fetch(url, { headers: { Accept: "application/json" } });
      const health = await response.json();
      const time = new Date().toLocaleTimeString();
      for (const check of health.checks || []) {
        const data = check.data || {};
        if (check.name === "dependencies") {
          for (const [name, state] of Object.entries(data)) {
            prependRow("health", name, [name, String(state).startsWith("UP") ? "UP" : "DOWN", String(state), time], 1);
          }
          continue;
        }
        const details = Object.entries(data).map(([k, v]) => `${k}=${v}`).join(" ");
        prependRow("health", check.name, [check.name, check.status, details, time], 1);
      }
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

// ---- Roadmap page: a milestone's tree, critical path, ready set and pending approvals ----

const roadmap = { refresh: null };
const MAX_MILESTONE_PAGES = 10;

function showPage(name) {
  const live = name === "live";
  $("live").hidden = !live;
  $("roadmap-page").hidden = live;
  $("tab-live").setAttribute("aria-pressed", String(live));
  $("tab-roadmap").setAttribute("aria-pressed", String(!live));
  // the page is not refreshed while hidden: catch up on showing it
  if (!live) { if ($("milestone").options.length) loadRoadmap(); else loadMilestones(); }
}

function needToken(statusId) {
  const token = state.token || $("token").value.trim();
  if (!token) { $(statusId).textContent = "Paste a token first."; return false; }
  state.token = token;
  return true;
}

async function loadMilestones() {
  if (!needToken("roadmap-status")) return;
  try {
    const milestones = [];
    let cursor = null;
    for (let pages = 0; pages < MAX_MILESTONE_PAGES; pages++) {
      const page = await api("/api/v1/roadmap/nodes?level=milestone&limit=100&fields=id,name,status"
        + (cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""));
      milestones.push(...(page.items || []));
      cursor = page.nextCursor;
      if (!cursor) break;
    }
    const select = $("milestone");
    const chosen = select.value;
    select.replaceChildren();
    for (const m of milestones) {
      const option = document.createElement("option");
      option.value = m.id;
      option.textContent = `${m.name || m.id} (${m.id})`;
      select.appendChild(option);
    }
    if (chosen && [...select.options].some((o) => o.value === chosen)) select.value = chosen;
    $("roadmap-status").textContent = select.options.length ? "" : "No milestones yet.";
    await loadRoadmap();
  } catch (e) {
    $("roadmap-status").textContent = `Milestones not loaded: ${e.message}`;
  }
}

function progressOf(node) {
  const p = node.progress;
  const value = typeof p === "number" ? p : p && typeof p.progress === "number" ? p.progress : 0;
  return Math.max(0, Math.min(1, value));
}

function treeItem(node, critical, depth) {
  const item = document.createElement("li");
  const row = document.createElement("div");
  row.className = "node" + (critical.has(node.id) ? " critical" : "");
  row.dataset.id = node.id;
  const level = document.createElement("span");
  level.className = "level";
  level.textContent = node.level || "";
  const name = document.createElement("span");
  name.className = "name";
  name.textContent = `${node.name || node.id} (${node.id})`;
  const status = document.createElement("span");
  status.className = String(node.status || "");
  status.textContent = node.status || "";
  const bar = document.createElement("progress");
  bar.max = 1;
  bar.value = progressOf(node);
  const percent = document.createElement("span");
  percent.className = "percent";
  percent.textContent = `${Math.round(progressOf(node) * 100)}%`;
  row.append(level, name, status, bar, percent);
  item.appendChild(row);
  const children = Array.isArray(node.children) ? node.children.filter((c) => c && typeof c === "object") : [];
  if (children.length && depth < 6) {
    const list = document.createElement("ul");
    for (const child of children) list.appendChild(treeItem(child, critical, depth + 1));
    item.appendChild(list);
  }
  return item;
}

function renderTree(tree, critical) {
  const root = tree && (tree.root || tree.tree || tree);
  const list = $("roadmap-tree");
  list.replaceChildren();
  if (root && root.id) list.appendChild(treeItem(root, critical, 0));
  if (tree && tree.truncated) $("roadmap-status").textContent = "The tree is truncated.";
}

function renderCriticalPath(path) {
  const steps = Array.isArray(path && path.path) ? path.path : [];
  $("critical-summary").textContent = path ? `(length ${path.length ?? steps.length}, remaining ${path.remaining ?? "?"})` : "";
  const list = $("critical-path");
  list.replaceChildren();
  for (const step of steps) {
    const li = document.createElement("li");
    li.dataset.id = step.id;
    li.textContent = `${step.name || step.id} (${step.id}) · ${step.status || ""} · ${step.estimate ?? ""}`;
    list.appendChild(li);
  }
  return new Set(steps.map((s) => s.id));
}

function renderReady(page) {
  const list = $("ready");
  list.replaceChildren();
  for (const node of (page && page.items) || []) {
    const li = document.createElement("li");
    li.dataset.id = node.id;
    li.textContent = `${node.name || node.id} (${node.id}) · ${node.level || ""}`;
    list.appendChild(li);
  }
}

function renderApprovals(page) {
  const list = $("approvals");
  list.replaceChildren();
  const items = (page && page.items) || [];
  $("approvals-status").textContent = items.length ? "" : "No pending approvals.";
  for (const proposal of items) {
    const li = document.createElement("li");
    li.dataset.id = proposal.id;
    const title = document.createElement("strong");
    title.className = "tool";
    title.textContent = `${proposal.tool || "?"} · run ${proposal.runId || ""} · ${proposal.agentType || ""}`;
    const args = document.createElement("pre");
    args.className = "arguments";
    args.textContent = JSON.stringify(proposal.arguments ?? {}, null, 2);
    const reasoning = document.createElement("p");
    reasoning.className = "reasoning";
    reasoning.textContent = proposal.reasoning || "(no reasoning given)";
    const reason = document.createElement("input");
    reason.className = "reason";
    reason.placeholder = "reason (required to reject)";
    reason.maxLength = 2000;
    reason.setAttribute("aria-label", `Reason for ${proposal.id}`);
    const approve = document.createElement("button");
    approve.type = "button";
    approve.className = "approve";
    approve.textContent = "Approve";
    const reject = document.createElement("button");
    reject.type = "button";
    reject.className = "reject";
    reject.textContent = "Reject";
    approve.addEventListener("click", () => decide(proposal.id, "approve", reason.value.trim(), [approve, reject]));
    reject.addEventListener("click", () => decide(proposal.id, "reject", reason.value.trim(), [approve, reject]));
    li.append(title, args, reasoning, reason, approve, reject);
    list.appendChild(li);
  }
}

async function decide(id, action, text, buttons) {
  if (action === "reject" && !text) { $("approvals-status").textContent = "A reason is needed to reject."; return; }
  buttons.forEach((b) => { b.disabled = true; });
  try {
    const body = action === "reject" ? { reason: text } : (text ? { note: text } : {});
    // one key per proposal and decision: a double click is replayed, not decided twice
    await api(`/api/v1/approvals/${encodeURIComponent(id)}/${action}`, { method: "POST",
      headers: { "Content-Type": "application/json", "Idempotency-Key": `${action}-${id}` }, body: JSON.stringify(body) });
    await loadRoadmap();
    $("approvals-status").textContent = `${id}: ${action === "approve" ? "approved" : "rejected"}`;
  } catch (e) {
    $("approvals-status").textContent = `${id} not decided: ${e.message}`;
    buttons.forEach((b) => { b.disabled = false; });
  }
}

async function loadRoadmap() {
  if (!needToken("roadmap-status")) return;
  const id = $("milestone").value;
  const approvals = api("/api/v1/approvals?status=pending&limit=100").then(renderApprovals)
    .catch((e) => { $("approvals-status").textContent = `Approvals not loaded: ${e.message}`; });
  if (id) {
    const node = encodeURIComponent(id);
    try {
      const [tree, path, ready] = await Promise.all([api(`/api/v1/roadmap/nodes/${node}/tree`),
        api(`/api/v1/roadmap/milestones/${node}/critical-path`).catch(() => null),
        api(`/api/v1/roadmap/ready?level=task&under=${node}&limit=100`)]);
      // a refresh for a milestone that is no longer selected answers late: the newer selection renders
      if ($("milestone").value !== id) return;
      renderTree(tree, renderCriticalPath(path));
      renderReady(ready);
      $("roadmap-status").textContent = `Milestone ${id} loaded at ${new Date().toLocaleTimeString()}`;
    } catch (e) {
      $("roadmap-status").textContent = `Roadmap not loaded: ${e.message}`;
    }
  }
  await approvals;
}

// live roadmap and approval events refresh the page, at most twice a second
function roadmapChanged() {
  if (roadmap.refresh || !state.token || $("roadmap-page").hidden) return;
  roadmap.refresh = setTimeout(() => { roadmap.refresh = null; loadRoadmap(); }, 500);
}

function handle(id, type, raw) {
  let event;
  try { event = JSON.parse(raw); } catch (e) { return; }
  if (id) state.lastEventId = id;
  const topic = type || event.type || "";
  if (topic.startsWith("dev.devloop.roadmap.") || topic.startsWith("dev.devloop.agent.approval.")) roadmapChanged();
  else if (topic.startsWith("dev.devloop.agent.run.") || topic.startsWith("agent.run.")) onResult(event);
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
  $("tab-live").addEventListener("click", () => showPage("live"));
  $("tab-roadmap").addEventListener("click", () => showPage("roadmap"));
  $("milestones-button").addEventListener("click", loadMilestones);
  $("milestone").addEventListener("change", loadRoadmap);
  $("roadmap-pick").addEventListener("submit", (e) => { e.preventDefault(); loadRoadmap(); });
  pollHealth();
  setInterval(pollHealth, 10000);
});
