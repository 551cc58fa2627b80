// Instant OpenAI chat-completions stub for the benchmark: answers POST /v1/chat/completions with a fixed
// chat.completion (or, with "stream": true, three chat.completion.chunk events and [DONE]); GET /health → 200.
// Binds 127.0.0.1 only. Usage: node stub.mjs <port>
import http from 'node:http';

const port = Number(process.argv[2] || 18099);
const completion = JSON.stringify({
  id: 'chatcmpl-bench', object: 'chat.completion', created: 1764000000, model: 'gpt-4o-mini',
  choices: [{ index: 0, message: { role: 'assistant', content: 'hi' }, finish_reason: 'stop' }],
  usage: { prompt_tokens: 12, completion_tokens: 1, total_tokens: 13 },
});
const chunk = (delta, finish) => 'data: ' + JSON.stringify({
  id: 'chatcmpl-bench', object: 'chat.completion.chunk', created: 1764000000, model: 'gpt-4o-mini',
  choices: [{ index: 0, delta, finish_reason: finish }],
}) + '\n\n';
const streamBody = chunk({ role: 'assistant', content: '' }, null) + chunk({ content: 'hi' }, null)
  + chunk({}, 'stop') + 'data: [DONE]\n\n';

const server = http.createServer((req, res) => {
  // a client that goes away mid-request (wrk stopping, a gateway timing out) must not crash the stub
  req.on('error', () => {});
  res.on('error', () => {});
  if (req.method === 'GET') {
    res.writeHead(200, { 'content-type': 'text/plain' });
    res.end('ok');
    return;
  }
  const parts = [];
  let size = 0;
  req.on('data', (d) => { size += d.length; if (size <= 1 << 20) parts.push(d); });
  req.on('end', () => {
    let stream = false;
    try { stream = JSON.parse(Buffer.concat(parts).toString('utf8')).stream === true; } catch { /* not JSON: plain answer */ }
    if (stream) {
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
      res.end(streamBody);
    } else {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(completion) });
      res.end(completion);
    }
  });
});
server.on('clientError', (err, socket) => socket.destroy());
server.listen(port, '127.0.0.1');
