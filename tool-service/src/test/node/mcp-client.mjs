// An MCP client made with the official TypeScript SDK. Usage:
//   MCP_AUTHORIZATION='Bearer <token for tool-service>' node mcp-client.mjs <url> <tenant> <agentType> <message> [streamable-http|sse]
// Connects over streamable HTTP (or the older HTTP+SSE transport) with the Devloop caller headers (and the credential,
// when MCP_AUTHORIZATION is set), lists the tools, calls log_activity
// and prints one JSON line {tools, result, invalid, denied}; exits 1 on any failure ({error}).
//   node mcp-client.mjs --serve
// runs the same session once per stdin line {"args": [<url>, <tenant>, ...], "authorization": "Bearer …" | null}
// and answers each with one line {"exit": 0|1, "stdout": "<what the one-shot form prints>"}: the tests pay for node
// and the SDK's load once, each session is still a new client and transport.
import { createInterface } from 'node:readline';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { SSEClientTransport } from '@modelcontextprotocol/sdk/client/sse.js';

async function session([url, tenant, agentType, message, transportName], authorization) {
  const headers = {};
  if (tenant) headers['X-Devloop-Tenant'] = tenant;
  if (agentType) headers['X-Devloop-Agent-Type'] = agentType;
  if (authorization) headers['Authorization'] = authorization;

  const client = new Client({ name: 'sdk-interop-client', version: '1.0.0' });
  try {
    const transport = transportName === 'sse'
      ? new SSEClientTransport(new URL(url), { requestInit: { headers } })
      : new StreamableHTTPClientTransport(new URL(url), { requestInit: { headers } });
    await client.connect(transport);
    const listed = await client.listTools();
    const result = await client.callTool({ name: 'log_activity', arguments: { message } });
    const invalid = await client.callTool({ name: 'log_activity', arguments: {} });
    const denied = await client.callTool({ name: 'check_connectivity', arguments: { target: 'tool-service' } });
    return {
      exit: 0,
      stdout: JSON.stringify({
        tools: listed.tools.map(t => ({ name: t.name, inputSchema: t.inputSchema })),
        result, invalid, denied,
      }),
    };
  } catch (e) {
    return { exit: 1, stdout: JSON.stringify({ error: String(e && e.message || e) }) };
  } finally {
    await client.close().catch(() => {});
  }
}

if (process.argv[2] === '--serve') {
  const lines = createInterface({ input: process.stdin });
  process.stdout.write('READY\n');
  for await (const line of lines) {
    const { args, authorization } = JSON.parse(line);
    process.stdout.write(JSON.stringify(await session(args, authorization)) + '\n');
  }
  process.exit(0);
} else {
  const run = await session(process.argv.slice(2), process.env.MCP_AUTHORIZATION);
  process.stdout.write(run.stdout + '\n');
  process.exit(run.exit);
}
