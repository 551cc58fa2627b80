package dev.devloop.agent.domain.prompt;

import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A named prompt template as the seed's prompt engineering system describes: {@code basic} fills
 * {@code {variables}} into its text; {@code claude_xml} renders its XML elements (defaults, replaced by
 * variables of the same name) into {@code {xml_elements}}; {@code chain_of_thought} numbers its steps
 * into {@code {steps}}. {@code {{} and {@code }}} stand for literal braces; a placeholder without a value
 * and a declared variable left out are errors, never silently empty.
 */
public record PromptTemplate(
        String name,
        Kind kind,
        String text,
        List<String> variables,
        Map<String, String> xmlElements,
        List<String> steps) {

    /** The three template families. */
    public enum Kind {
        BASIC,
        CLAUDE_XML,
        CHAIN_OF_THOUGHT;

        public static Kind parse(String value) {
            String v = value == null ? "basic" : value.trim().toLowerCase();
            return switch (v) {
                case "basic" -> BASIC;
                case "claude_xml" -> CLAUDE_XML;
                case "chain_of_thought" -> CHAIN_OF_THOUGHT;
                default -> throw new IllegalArgumentException("unknown template type '" + value + "'");
            };
        }
    }

    private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,63}");
    private static final Pattern TAG = Pattern.compile("[A-Za-z_][A-Za-z0-9_.-]{0,63}");

    public PromptTemplate {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("template name must match " + NAME.pattern() + ": " + name);
        }
        if (kind == null || text == null || text.isBlank()) {
            throw new IllegalArgumentException("template '" + name + "' needs a type and a text");
        }
        variables = variables == null ? List.of() : List.copyOf(variables);
        Map<String, String> xml = new LinkedHashMap<>();
        if (xmlElements != null) {
            xmlElements.forEach((tag, content) -> {
                if (!TAG.matcher(tag).matches()) {
                    throw new IllegalArgumentException(
                            "template '" + name + "': invalid XML element name '" + tag + "'");
                }
                xml.put(tag, content == null ? "" : content);
            });
        }
        xmlElements = Collections.unmodifiableMap(xml);
        steps = steps == null ? List.of() : List.copyOf(steps);
        // a template that cannot be parsed fails when it is loaded, not when an agent first runs
        placeholders(text);
    }

    /** Renders the template with {@code values}; throws {@link IllegalArgumentException} naming what is missing. */
    public String format(Map<String, String> values) {
        Map<String, String> vars = new HashMap<>(values);
        for (String required : variables) {
            if (!vars.containsKey(required) && !xmlElements.containsKey(required)) {
                throw new IllegalArgumentException("template '" + name + "' is missing required variable: " + required);
            }
        }
        switch (kind) {
            case CLAUDE_XML -> {
                StringBuilder xml = new StringBuilder();
                for (Map.Entry<String, String> element : xmlElements.entrySet()) {
                    String tag = element.getKey();
                    String content = vars.containsKey(tag) ? neutralise(vars.remove(tag), tag) : element.getValue();
                    xml.append('<')
                            .append(tag)
                            .append(">\n")
                            .append(content)
                            .append("\n</")
                            .append(tag)
                            .append(">\n\n");
                }
                vars.put("xml_elements", xml.toString().stripTrailing());
            }
            case CHAIN_OF_THOUGHT -> {
                StringBuilder numbered = new StringBuilder();
                for (int i = 0; i < steps.size(); i++) {
                    numbered.append("Step ")
                            .append(i + 1)
                            .append(": ")
                            .append(steps.get(i))
                            .append('\n');
                }
                vars.put("steps", numbered.toString().stripTrailing());
            }
            case BASIC -> {
                // plain substitution
            }
        }
        return substitute(text, vars);
    }

    /** Keeps a value from closing the element it is placed in. */
    private static String neutralise(String value, String tag) {
        return value.replace("</" + tag, "&lt;/" + tag);
    }

    private String substitute(String template, Map<String, String> vars) {
        StringBuilder out = new StringBuilder(template.length() + 256);
        int i = 0;
        while (i < template.length()) {
            char c = template.charAt(i);
            if (c == '{' && i + 1 < template.length() && template.charAt(i + 1) == '{') {
                out.append('{');
                i += 2;
            } else if (c == '}' && i + 1 < template.length() && template.charAt(i + 1) == '}') {
                out.append('}');
                i += 2;
            } else if (c == '{') {
                int end = template.indexOf('}', i);
                String key = template.substring(i + 1, end);
                String value = vars.get(key);
                if (value == null) {
                    throw new IllegalArgumentException("template '" + name + "' has no value for {" + key + "}");
                }
                out.append(value);
                i = end + 1;
            } else {
                out.append(c);
                i++;
            }
        }
        return out.toString();
    }

    /** The placeholders of {@code template}; rejects unbalanced braces. */
    static List<String> placeholders(String template) {
        java.util.ArrayList<String> names = new java.util.ArrayList<>();
        int i = 0;
        while (i < template.length()) {
            char c = template.charAt(i);
            boolean doubled = i + 1 < template.length() && template.charAt(i + 1) == c;
            if ((c == '{' || c == '}') && doubled) {
                i += 2;
            } else if (c == '{') {
                int end = template.indexOf('}', i);
                if (end < 0 || !NAME.matcher(template.substring(i + 1, end)).matches()) {
                    throw new IllegalArgumentException("malformed placeholder at offset " + i);
                }
                names.add(template.substring(i + 1, end));
                i = end + 1;
            } else if (c == '}') {
                throw new IllegalArgumentException("single '}' at offset " + i);
            } else {
                i++;
            }
        }
        return names;
    }
}
