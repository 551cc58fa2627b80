// Drives the gateway dashboard in Debian's headless Chromium: logs in with a token, connects the live
// stream, starts a run, waits for its steps, the agent tree, health and usage to appear, takes a
// screenshot and prints one JSON line with what it saw. Usage: node dashboard-e2e.mjs <baseUrl> <token> <png>
// With "roadmap <milestoneId> <taskId>" after them it opens the Roadmap page instead: picks the milestone, waits
// for its tree, critical path, ready set and approvals, then moves <taskId> to in_progress through the API and
// waits for the live roadmap event to refresh the tree.
import { chromium } from "playwright-core";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const [baseUrl, token, screenshot, mode, milestone, task] = process.argv.slice(2);
const executablePath = process.env.CHROMIUM || "/usr/bin/chromium";
const profile = mkdtempSync(join(tmpdir(), "devloop-dashboard-"));
const timeout = Number(process.env.E2E_TIMEOUT_MS || 120000);
const context = await chromium.launchPersistentContext(profile, {
  executablePath,
  headless: true,
  viewport: { width: 1400, height: 1100 },
  args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync"],
});
const page = context.pages()[0] || await context.newPage();
const pageErrors = [];
page.on("pageerror", (e) => pageErrors.push(String(e)));
let result;
try {
  await page.goto(baseUrl, { waitUntil: "load" });
  await page.fill("#token", token);
  await page.click("#connect-button");
  await page.waitForFunction(() => document.getElementById("status").textContent.startsWith("Live"), null, { timeout });
  if (mode === "roadmap") {
    result = await roadmapPage();
  } else {
    await page.click("#start-run-button");
    await page.waitForFunction(() => /COMPLETED|FAILED|TRIPPED|GUARDRAIL_BLOCKED/.test(document.getElementById("run-status").textContent),
      null, { timeout });
    await page.waitForSelector("#steps tr[data-kind=TOOL_CALL]", { timeout });
    await page.waitForSelector("#agents li", { timeout });
    await page.waitForSelector("#health tr", { timeout });
    await page.waitForSelector("#usage tr", { timeout });
    result = await page.evaluate(() => ({
      runStatus: document.getElementById("run-status").textContent,
      steps: [...document.querySelectorAll("#steps tr")].map((r) => r.dataset.kind),
      agents: [...document.querySelectorAll("#agents li > span")].map((s) => s.textContent.trim()),
      nestedAgents: document.querySelectorAll("#agents li li").length,
      toolCalls: [...document.querySelectorAll("#tools tr")].map((r) => [...r.cells].map((c) => c.textContent)),
      health: [...document.querySelectorAll("#health tr")].map((r) => r.cells[0].textContent + "=" + r.cells[1].textContent),
      usage: [...document.querySelectorAll("#usage tr")].map((r) => [...r.cells].map((c) => c.textContent)),
      logEntries: document.querySelectorAll("#log li").length,
    }));
  }
  result.pageErrors = pageErrors;
  await page.screenshot({ path: screenshot, fullPage: true });
  console.log(JSON.stringify(result));
} catch (e) {
  try { await page.screenshot({ path: screenshot, fullPage: true }); } catch (ignored) { /* no page */ }
  const seen = await page.evaluate(() => ({
    status: document.getElementById("status")?.textContent, run: document.getElementById("run-status")?.textContent,
    steps: document.getElementById("steps")?.textContent, agents: document.getElementById("agents")?.textContent,
  })).catch(() => ({}));
  console.log(JSON.stringify({ error: String(e), seen, pageErrors }));
  process.exitCode = 1;
} finally {
  await context.close();
  rmSync(profile, { recursive: true, force: true });
}

async function roadmapPage() {
  await page.click("#tab-roadmap");
  await page.waitForSelector(`#milestone option[value="${milestone}"]`, { state: "attached", timeout });
  await page.selectOption("#milestone", milestone);
  await page.waitForSelector(`#roadmap-tree .node[data-id="${milestone}"]`, { timeout });
  await page.waitForSelector("#critical-path li", { timeout });
  await page.waitForFunction(() => document.getElementById("approvals-status").textContent !== ""
    || document.querySelectorAll("#approvals li").length > 0, null, { timeout });
  const nodes = () => [...document.querySelectorAll("#roadmap-tree .node")].map((n) => ({ id: n.dataset.id,
    status: n.children[2].textContent, progress: n.querySelector("progress").value,
    critical: n.classList.contains("critical") }));
  const before = await page.evaluate(nodes);
  const seen = {
    nodes: before,
    criticalPath: await page.evaluate(() => [...document.querySelectorAll("#critical-path li")].map((l) => l.dataset.id)),
    criticalSummary: await page.evaluate(() => document.getElementById("critical-summary").textContent),
    ready: await page.evaluate(() => [...document.querySelectorAll("#ready li")].map((l) => l.dataset.id)),
    approvals: await page.evaluate(() => [...document.querySelectorAll("#approvals li")].map((l) => ({ id: l.dataset.id,
      tool: l.querySelector(".tool").textContent, arguments: l.querySelector(".arguments").textContent,
      reasoning: l.querySelector(".reasoning").textContent, buttons: l.querySelectorAll("button").length }))),
    approvalsStatus: await page.evaluate(() => document.getElementById("approvals-status").textContent),
  };
  const moved = await page.evaluate(async ([t, id]) => (await fetch(`/api/v1/roadmap/nodes/${encodeURIComponent(id)}`, {
    method: "PATCH", headers: { Authorization: `Bearer ${t}`, "Content-Type": "application/json" },
    body: JSON.stringify({ status: "in_progress" }) })).status, [token, task]);
  seen.patchStatus = moved;
  await page.waitForFunction((id) => {
    const node = document.querySelector(`#roadmap-tree .node[data-id="${id}"]`);
    return node && node.children[2].textContent === "in_progress";
  }, task, { timeout });
  seen.liveRefreshed = true;
  return seen;
}
