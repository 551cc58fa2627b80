package dev.devloop.tools.application;

import dev.devloop.tools.ports.in.ToolRefusal;
import dev.devloop.tools.ports.out.DownstreamException;
import dev.devloop.tools.ports.out.WorkspacePort;
import dev.devloop.tools.ports.out.WorkspacePort.PathRejectedException;
import java.util.function.Supplier;

/** Calls of the workspace and git tools into their ports, with the port's failures as the model reads them. */
final class WorkspaceCalls {
    private WorkspaceCalls() {}

    /** A rejected path → 400 {@code path}; the tenant's workspace quota → 403 on {@code content}; else FAILED. */
    static <T> T guarded(Supplier<T> call) {
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
}
