package dev.devloop.tools.application;

import static dev.devloop.tools.application.WorkspaceCalls.guarded;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.devloop.tools.domain.WorkspacePath;
import dev.devloop.tools.ports.out.WorkspacePort;
import java.util.List;

/**
 * The filesystem tools {@code read_file}, {@code write_file} and {@code list_dir}, confined to the
 * calling tenant's workspace. A path that tries to leave it is a 400 naming {@code path}.
 */
public final class WorkspaceTools {
    public static final String READ_FILE = "read_file";
    public static final String WRITE_FILE = "write_file";
    public static final String LIST_DIR = "list_dir";

    private final WorkspacePort workspace;
    private final WorkspaceSettings settings;

    public WorkspaceTools(WorkspacePort workspace, WorkspaceSettings settings) {
        this.workspace = workspace;
        this.settings = settings;
    }

    public List<ToolExecutor> executors() {
        return List.of(
                ToolExecutor.ofNative(READ_FILE, call -> {
                    WorkspacePath path = path(call.arguments(), false);
                    String content = guarded(() -> workspace.read(call.tenant(), path, settings.maxFileBytes()));
                    return JsonNodeFactory.instance
                            .objectNode()
                            .put("path", path.toString())
                            .put("content", content);
                }),
                ToolExecutor.ofNative(WRITE_FILE, call -> {
                    WorkspacePath path = path(call.arguments(), false);
                    String content = call.arguments().path("content").asText();
                    boolean append = call.arguments().path("append").asBoolean(false);
                    long size = guarded(() -> workspace.write(
                            call.tenant(),
                            path,
                            content,
                            append,
                            settings.maxFileBytes(),
                            new WorkspacePort.Quota(settings.maxTenantBytes(), settings.maxTenantEntries())));
                    return JsonNodeFactory.instance
                            .objectNode()
                            .put("path", path.toString())
                            .put("size", size);
                }),
                ToolExecutor.ofNative(LIST_DIR, call -> {
                    WorkspacePath path = path(call.arguments(), true);
                    WorkspacePort.Listing listing =
                            guarded(() -> workspace.list(call.tenant(), path, settings.maxListEntries()));
                    ObjectNode out = JsonNodeFactory.instance
                            .objectNode()
                            .put("path", path.toString())
                            .put("truncated", listing.truncated());
                    ArrayNode entries = out.putArray("entries");
                    listing.entries().forEach(e -> entries.addObject()
                            .put("name", e.name())
                            .put("type", e.type())
                            .put("size", e.size()));
                    return out;
                }));
    }

    private WorkspacePath path(JsonNode args, boolean rootAllowed) {
        return PathArgument.of(
                args, settings.maxPathChars(), rootAllowed, "path must not enter a .git directory; use the git tools");
    }
}
