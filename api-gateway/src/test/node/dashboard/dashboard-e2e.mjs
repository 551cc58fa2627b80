// Drives the gateway dashboard in Debian's headless Chromium: logs in with a token, connects the live
// stream, starts a run, waits for its steps, the agent tree, health and usage to appear, takes a
// screenshot and prints one JSON line with what it saw. Usage: node dashboard-e2e.mjs <baseUrl> <token> <png>
import { chromium } from "playwright-core";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const [baseUrl, token, screenshot] = process.argv.slice(2);
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
