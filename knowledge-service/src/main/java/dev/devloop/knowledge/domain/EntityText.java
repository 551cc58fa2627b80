package dev.devloop.knowledge.domain;

/**
 * The text an entity is embedded from: its type, its id and its properties as plain words. JSON punctuation
 * is turned into spaces (keys and values stay, in order), runs of whitespace collapse, and the text is cut at
 * {@link #MAX_CHARACTERS} (the embedding model reads only its first few hundred tokens anyway).
 */
public final class EntityText {
    public static final int MAX_CHARACTERS = 2000;

    public static String of(String type, String id, String propertiesJson) {
        StringBuilder out = new StringBuilder();
        if (type != null) {
            out.append(type).append(": ");
        }
        out.append(id);
        String properties = propertiesJson == null ? "" : words(propertiesJson);
        if (!properties.isBlank()) {
            out.append(". ").append(properties.strip());
        }
        String text = out.toString().replaceAll("\\s+", " ").strip();
        return text.length() <= MAX_CHARACTERS ? text : text.substring(0, MAX_CHARACTERS);
    }

    private static String words(String json) {
        StringBuilder out = new StringBuilder(json.length());
        for (char c : json.toCharArray()) {
            switch (c) {
                case '{', '}', '[', ']', '"' -> out.append(' ');
                case ',' -> out.append("; ");
                case '_' -> out.append(' ');
                default -> out.append(c);
            }
        }
        return out.toString().replace(" :", ":");
    }

    private EntityText() {}
}
