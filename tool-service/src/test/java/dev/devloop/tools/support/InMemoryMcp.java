package dev.devloop.tools.support;

import com.fasterxml.jackson.databind.JsonNode;
import dev.devloop.tools.domain.McpServer;
import dev.devloop.tools.ports.out.DownstreamException;
import dev.devloop.tools.ports.out.McpClientPort;
import dev.devloop.tools.ports.out.McpServerStorePort;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** In-memory MCP server store and a scripted remote MCP server, for use-case tests without a network. */
public final class InMemoryMcp {

    /** Servers keyed by tenant/name, like the MongoDB adapter. */
    public static final class Store implements McpServerStorePort {
        private final Map<String, McpServer> servers = new ConcurrentHashMap<>();

        @Override
        public Optional<McpServer> find(String tenant, String name) {
            return Optional.ofNullable(servers.get(tenant + "/" + name));
        }

        @Override
        public List<McpServer> list(String tenant) {
            return servers.values().stream()
                    .filter(s -> s.tenant().equals(tenant))
                    .toList();
        }

        @Override
        public void save(McpServer server) {
            servers.put(server.tenant() + "/" + server.name(), server);
        }

        @Override
        public void delete(String tenant, String name) {
            servers.remove(tenant + "/" + name);
        }

        @Override
        public long count(String tenant) {
            return list(tenant).size();
        }
    }

    /** A remote server whose tools and answers the test sets; records every call. */
    public static final class Remote implements McpClientPort {
        public final List<RemoteTool> tools = Collections.synchronizedList(new ArrayList<>());
        public final List<String> calls = Collections.synchronizedList(new ArrayList<>());
        public final List<String> forgotten = Collections.synchronizedList(new ArrayList<>());
        /** The address each list or call was sent to, as the caller's check answered it. */
        public final List<String> addresses = Collections.synchronizedList(new ArrayList<>());

        public volatile boolean down;

        public Remote tool(String name, String schema) {
            tools.add(new RemoteTool(name, "remote " + name, Fixtures.json(schema)));
            return this;
        }

        @Override
        public List<RemoteTool> listTools(Endpoint endpoint, AddressCheck check) {
            addresses.add(
                    check.checked(java.net.URI.create(endpoint.url()).getHost()).getHostAddress());
            if (down) {
                throw new DownstreamException("Connection refused");
            }
            return List.copyOf(tools);
        }

        @Override
        public RemoteResult call(
                Endpoint endpoint, AddressCheck check, String tool, JsonNode arguments, long timeoutMs) {
            addresses.add(
                    check.checked(java.net.URI.create(endpoint.url()).getHost()).getHostAddress());
            calls.add(endpoint.url() + " " + tool + " " + arguments);
            if (down) {
                throw new DownstreamException("Connection refused");
            }
            if (tool.equals("add")) {
                return new RemoteResult(
                        false,
                        String.valueOf(
                                arguments.get("a").asInt() + arguments.get("b").asInt()),
                        null);
            }
            return new RemoteResult(true, "no such behaviour: " + tool, null);
        }

        @Override
        public void forget(String tenant, String name) {
            forgotten.add(tenant + "/" + name);
        }
    }

    private InMemoryMcp() {}
}
