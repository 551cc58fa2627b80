package dev.devloop.agent.adapters.out.definitions;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.devloop.agent.domain.prompt.PromptTemplate;
import dev.devloop.agent.domain.prompt.PromptTemplates;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Loads prompt templates from YAML ({@code .yaml}/{@code .yml}) and JSON resources, each a map of
 * template name → {@code {type, template, variables, xml_elements, steps}}, in the order given (a
 * later file may replace a template of an earlier one).
 */
public final class ClasspathPromptTemplates {
    private static final ObjectMapper YAML = new YAMLMapper();

    public static PromptTemplates load(ObjectMapper json, List<String> resources) {
        List<PromptTemplate> templates = new ArrayList<>();
        for (String resource : resources) {
            String name = resource.trim();
            ObjectMapper mapper = name.endsWith(".yaml") || name.endsWith(".yml") ? YAML : json;
            try (InputStream in = Thread.currentThread().getContextClassLoader().getResourceAsStream(name)) {
                if (in == null) {
                    throw new IllegalStateException("prompt template resource not found: " + name);
                }
                JsonNode root = mapper.readTree(in);
                if (root == null || !root.isObject()) {
                    throw new IllegalStateException(name + " must map template names to templates");
                }
                Iterator<Map.Entry<String, JsonNode>> fields = root.fields();
                while (fields.hasNext()) {
                    Map.Entry<String, JsonNode> entry = fields.next();
                    try {
                        templates.add(toTemplate(entry.getKey(), entry.getValue()));
                    } catch (IllegalArgumentException e) {
                        throw new IllegalStateException(name + ": " + e.getMessage(), e);
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + name, e);
            }
        }
        return new PromptTemplates(templates);
    }

    private static PromptTemplate toTemplate(String name, JsonNode data) {
        List<String> variables = new ArrayList<>();
        data.path("variables").forEach(v -> variables.add(v.asText()));
        Map<String, String> xml = new LinkedHashMap<>();
        data.path("xml_elements")
                .fields()
                .forEachRemaining(e -> xml.put(e.getKey(), e.getValue().asText()));
        List<String> steps = new ArrayList<>();
        data.path("steps").forEach(s -> steps.add(s.asText()));
        return new PromptTemplate(
                name,
                PromptTemplate.Kind.parse(data.path("type").asText("basic")),
                data.path("template").asText(null),
                variables,
                xml,
                steps);
    }

    private ClasspathPromptTemplates() {}
}
