package dev.devloop.agent.domain.prompt;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The registry of loaded templates, by name; a later registration of the same name replaces the earlier. */
public final class PromptTemplates {
    private final Map<String, PromptTemplate> byName = new LinkedHashMap<>();

    public PromptTemplates(Collection<PromptTemplate> templates) {
        templates.forEach(t -> byName.put(t.name(), t));
    }

    public Optional<PromptTemplate> find(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    public List<String> names() {
        return List.copyOf(byName.keySet());
    }

    /** Renders {@code name} with {@code values}. */
    public String render(String name, Map<String, String> values) {
        PromptTemplate template =
                find(name).orElseThrow(() -> new IllegalArgumentException("template not found: " + name));
        return template.format(values);
    }
}
