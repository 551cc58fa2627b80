package dev.devloop.tools.application;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** The built-in executors by implementation name. */
public final class ToolExecutors {
    private final Map<String, ToolExecutor> byName = new LinkedHashMap<>();

    public ToolExecutors(List<ToolExecutor> executors) {
        for (ToolExecutor executor : executors) {
            if (byName.put(executor.name(), executor) != null) {
                throw new IllegalStateException("two executors named " + executor.name());
            }
        }
    }

    public Optional<ToolExecutor> find(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    public Set<String> names() {
        return byName.keySet();
    }
}
