// A small MCP server made with the official TypeScript SDK on 127.0.0.1, a random port (printed as
// "LISTENING <port>"): streamable HTTP at /mcp and the older HTTP+SSE transport at /sse (+ /messages);
// tools `add` and `echo`, plus `fail` which reports an error.
// It records the headers it saw so tests can check what the caller sent.
import http from 'node:http';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { SSEServerTransport } from '@modelcontextprotocol/sdk/server/sse.js';
import { z } from 'zod';

function newServer() {
  const server = new McpServer({ name: 'sdk-fixture', version: '1.0.0' });
  server.registerTool('add', {
    description: 'Adds two numbers',
    inputSchema: { a: z.number(), b: z.number() },
  }, async ({ a, b }) => ({ content: [{ type: 'text', text: String(a + b) }] }));
  server.registerTool('echo', {
    description: 'Echoes a message',
    inputSchema: { message: z.string() },
  }, async ({ message }) => ({ content: [{ type: 'text', text: 'echo: ' + message }] }));
  server.registerTool('fail', {
    description: 'Always reports an error',
    inputSchema: { reason: z.string() },
  }, async ({ reason }) => ({ isError: true, content: [{ type: 'text', text: 'failed because ' + reason }] }));
  return server;
}

const sseSessions = new Map();

const httpServer = http.createServer(async (req, res) => {
  // a caller's credential, on any transport (tool-service must never send its internal token here)
  if (req.headers['authorization']) {
    process.stdout.write('AUTHORIZATION ' + req.headers['authorization'] + '\n');
  }
  if (req.method === 'GET' && req.url === '/sse') {
    const transport = new SSEServerTransport('/messages', res);
    sseSessions.set(transport.sessionId, transport);
    res.on('close', () => sseSessions.delete(transport.sessionId));
    await newServer().connect(transport);
    return;
  }
  if (req.method === 'POST' && req.url.startsWith('/messages')) {
    const sessionId = new URL(req.url, 'http://127.0.0.1').searchParams.get('sessionId');
    const transport = sseSessions.get(sessionId);
    if (!transport) {
      res.writeHead(404).end();
      return;
    }
    await transport.handlePostMessage(req, res);
    return;
  }
  if (req.url !== '/mcp') {
    res.writeHead(404).end();
    return;
  }
  if (req.headers['traceparent']) {
    process.stdout.write('TRACEPARENT ' + req.headers['traceparent'] + '\n');
  }
  const chunks = [];
  for await (const chunk of req) chunks.push(chunk);
  const body = chunks.length ? JSON.parse(Buffer.concat(chunks).toString('utf8')) : undefined;
  // stateless: one server and transport per request
  const server = newServer();
  const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: true });
  res.on('close', () => { transport.close(); server.close(); });
  await server.connect(transport);
  await transport.handleRequest(req, res, body);
});

httpServer.listen(0, '127.0.0.1', () => {
  process.stdout.write('LISTENING ' + httpServer.address().port + '\n');
});
process.on('SIGTERM', () => httpServer.close(() => process.exit(0)));
