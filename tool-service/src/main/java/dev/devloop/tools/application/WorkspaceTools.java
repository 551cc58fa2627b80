package dev.devloop.tools.application;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.devloop.tools.domain.ToolKind;
import dev.devloop.tools.domain.WorkspacePath;
import dev.devloop.tools.ports.in.ToolRefusal;
import dev.devloop.tools.ports.out.DownstreamException;
import dev.devloop.tools.ports.out.WorkspacePort;
import dev.devloop.tools.ports.out.WorkspacePort.PathRejectedException;
import java.util.List;
import java.util.function.Supplier;

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
                executor(READ_FILE, call -> {
                    WorkspacePath path = path(call.arguments(), false);
                    String content = guarded(() -> workspace.read(call.tenant(), path, settings.maxFileBytes()));
                    return JsonNodeFactory.instance
                            .objectNode()
                            .put("path", path.toString())
                            .put("content", content);
                }),
                executor(WRITE_FILE, call -> {
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
                executor(LIST_DIR, call -> {
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
        WorkspacePath path;
        try {
            path = WorkspacePath.parse(args.path("path").asText(null), settings.maxPathChars(), rootAllowed);
        } catch (IllegalArgumentException e) {
            throw ToolRefusal.invalid("path", e.getMessage());
        }
        if (path.touchesGitMetadata()) {
            throw ToolRefusal.invalid("path", "path must not enter a .git directory; use the git tools");
        }
        return path;
    }

    private static <T> T guarded(Supplier<T> call) {
        try {
            return call.get();
        } catch (PathRejectedException e) {
            throw ToolRefusal.invalid("path", e.getMessage());
        } catch (WorkspacePort.QuotaExceededException e) {
            throw ToolProblems.denied(e.rule(), "content", e.getMessage());
        } catch (DownstreamException e) {
            throw new ToolFailure(e.getMessage());
        }
    }

    private static ToolExecutor executor(String name, java.util.function.Function<ToolCall, JsonNode> body) {
        return ToolExecutor.of(name, ToolKind.NATIVE, body);
    }
}
