// The baseline side of the agent-loop benchmark (loop-benchmark.sh): the OpenAI Agents SDK for JavaScript
// (npm @openai/agents) running an agent with one trivial tool() against the instant chat-completions stub,
// tracing disabled, one run at a time. Also measures the stub's raw round trips through the same OpenAI client,
// so the SDK's own overhead per step can be separated from the HTTP calls. Prints one JSON line.
// Env: STUB_URL (http://127.0.0.1:PORT/v1), TOOL_TURNS, WARMUP_MS, MEASURE_MS.
import { Agent, Runner, tool, setTracingDisabled, OpenAIChatCompletionsModel } from '@openai/agents';
import OpenAI from 'openai';
import { z } from 'zod';

const toolTurns = Number(process.env.TOOL_TURNS || 1);
const warmupMs = Number(process.env.WARMUP_MS || 3000);
const measureMs = Number(process.env.MEASURE_MS || 10000);
setTracingDisabled(true);
const client = new OpenAI({ baseURL: process.env.STUB_URL, apiKey: 'bench', maxRetries: 0, timeout: 10_000 });
const model = new OpenAIChatCompletionsModel(client, 'stub');
let executed = 0;
const lookup = tool({
  name: 'lookup',
  description: 'Looks a key up.',
  parameters: z.object({ key: z.string() }),
  execute: async ({ key }) => {
    executed++;
    return { key, value: 'x' };
  },
});
const agent = new Agent({ name: 'assistant', instructions: 'Be brief.', model, tools: [lookup] });
const runner = new Runner({ tracingDisabled: true, maxTurns: toolTurns + 2 });

async function sdkRun() {
  const result = await runner.run(agent, 'remember x');
  if (result.finalOutput !== 'done') {
    throw new Error('unexpected final output ' + result.finalOutput);
  }
}

const toolsParam = [{ type: 'function', function: { name: 'lookup', description: 'Looks a key up.',
  parameters: { type: 'object', properties: { key: { type: 'string' } }, required: ['key'], additionalProperties: false } } }];
// the stub's raw round trips for one run: the same number of chat-completions calls, growing conversation
async function rawRun() {
  const messages = [{ role: 'system', content: 'Be brief.' }, { role: 'user', content: 'remember x' }];
  for (let turn = 0; turn <= toolTurns; turn++) {
    const reply = await client.chat.completions.create({ model: 'stub', messages, tools: toolsParam });
    const message = reply.choices[0].message;
    if (!message.tool_calls) {
      return;
    }
    messages.push(message);
    for (const call of message.tool_calls) {
      messages.push({ role: 'tool', tool_call_id: call.id, content: JSON.stringify({ key: 'bench', value: 'x' }) });
    }
  }
}

async function warm(work) {
  const warmEnd = performance.now() + warmupMs;
  while (performance.now() < warmEnd) {
    await work();
  }
}

// both warmed before either is measured, then measured in turns of 250 ms (as the Java side does)
async function interleaved(phases) {
  for (const phase of phases) {
    await warm(phase);
  }
  const out = phases.map(() => ({ runs: 0, micros: 0 }));
  while (out[phases.length - 1].micros < measureMs * 1000) {
    for (let i = 0; i < phases.length; i++) {
      const start = performance.now();
      const end = start + 250;
      let now;
      do {
        await phases[i]();
        out[i].runs++;
        now = performance.now();
      } while (now < end);
      out[i].micros += (now - start) * 1000;
    }
  }
  return out;
}

const [raw, sdk] = await interleaved([rawRun, sdkRun]);
console.log(JSON.stringify({ sdkVersion: process.env.SDK_VERSION || null, raw, sdk, toolExecutions: executed }));
