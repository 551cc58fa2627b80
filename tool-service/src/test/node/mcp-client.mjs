// An MCP client made with the official TypeScript SDK. Usage:
//   MCP_AUTHORIZATION='Bearer <token for tool-service>' node mcp-client.mjs <url> <tenant> <agentType> <message> [streamable-http|sse]
// Connects over streamable HTTP (or the older HTTP+SSE transport) with the Devloop caller headers (and the credential,
// when MCP_AUTHORIZATION is set), lists the tools, calls log_activity
// and prints one JSON line {tools, result}; exits 1 on any failure.
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { SSEClientTransport } from '@modelcontextprotocol/sdk/client/sse.js';

const [url, tenant, agentType, message, transportName] = process.argv.slice(2);
const headers = {};
if (tenant) headers['X-Devloop-Tenant'] = tenant;
if (agentType) headers['X-Devloop-Agent-Type'] = agentType;
if (process.env.MCP_AUTHORIZATION) headers['Authorization'] = process.env.MCP_AUTHORIZATION;

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
  process.stdout.write(JSON.stringify({
    tools: listed.tools.map(t => ({ name: t.name, inputSchema: t.inputSchema })),
    result, invalid, denied,
  }) + '\n');
  await client.close();
  process.exit(0);
} catch (e) {
  process.stdout.write(JSON.stringify({ error: String(e && e.message || e) }) + '\n');
  process.exit(1);
}
