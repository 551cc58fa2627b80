// An instant OpenAI-compatible chat-completions stub for the agent-loop benchmark (loop-benchmark.sh).
// Scripted and stateless: while the conversation holds fewer than TOOL_TURNS tool results it answers a
// call of the tool `lookup`, then the final answer "done". Binds 127.0.0.1 only; writes its port to PORT_FILE.
import http from 'node:http';
import fs from 'node:fs';

const toolTurns = Number(process.env.TOOL_TURNS || 1);
const maxBody = 1 << 20;
const server = http.createServer((req, res) => {
  if (req.method !== 'POST' || !req.url.endsWith('/chat/completions')) {
    res.writeHead(404).end();
    return;
  }
  const chunks = [];
  let size = 0;
  req.on('data', (c) => {
    size += c.length;
    if (size > maxBody) {
      req.destroy();
      return;
    }
    chunks.push(c);
  });
  req.on('end', () => {
    let body;
    try {
      body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    } catch {
      res.writeHead(400).end();
      return;
    }
    const answered = (body.messages || []).filter((m) => m.role === 'tool').length;
    const wantsTool = answered < toolTurns;
    const message = wantsTool
      ? { role: 'assistant', content: null, tool_calls: [{ id: `call_${answered + 1}`, type: 'function',
          function: { name: 'lookup', arguments: '{"key":"bench"}' } }] }
      : { role: 'assistant', content: 'done' };
    const out = JSON.stringify({ id: 'chatcmpl-bench', object: 'chat.completion', created: 1700000000,
      model: body.model || 'stub', choices: [{ index: 0, message, finish_reason: wantsTool ? 'tool_calls' : 'stop' }],
      usage: { prompt_tokens: 30, completion_tokens: 10, total_tokens: 40 } });
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(out) });
    res.end(out);
  });
});
server.keepAliveTimeout = 120_000;
server.listen(Number(process.env.PORT || 0), '127.0.0.1', () => {
  if (process.env.PORT_FILE) {
    fs.writeFileSync(process.env.PORT_FILE, String(server.address().port));
  }
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
