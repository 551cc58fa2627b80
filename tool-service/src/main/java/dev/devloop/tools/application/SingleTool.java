package dev.devloop.tools.application;

import dev.devloop.tools.domain.ToolKind;

/**
 * A tool class that is exactly one executor: its name, kind and whether it writes the graph are fixed at
 * construction, and the subclass only says what a call does. (Classes backing several tools return
 * {@link ToolExecutor#of} executors instead.)
 */
public abstract class SingleTool implements ToolExecutor {
    private final String name;
    private final ToolKind kind;
    private final boolean writesGraph;

    protected SingleTool(String name, ToolKind kind) {
        this(name, kind, false);
    }

    protected SingleTool(String name, ToolKind kind, boolean writesGraph) {
        this.name = name;
        this.kind = kind;
        this.writesGraph = writesGraph;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public ToolKind kind() {
        return kind;
    }

    @Override
    public boolean writesGraph() {
        return writesGraph;
    }
}
