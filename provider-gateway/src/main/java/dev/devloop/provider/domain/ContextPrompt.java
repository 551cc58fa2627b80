package dev.devloop.provider.domain;

import java.util.List;

/**
 * A retrieval-augmented prompt ({@code generate_with_context}): documents plus a question, rendered
 * the way each provider reads best. Claude gets Anthropic's recommended XML layout (documents first
 * in {@code <documents><document index><source><document_content>}, the question last in
 * {@code <question>}); other providers get numbered, fenced plain-text documents.
 */
public record ContextPrompt(String instructions, List<Document> documents, String question) {

    /** One retrieved document; {@code source} is its title, URL or id. */
    public record Document(String source, String content) {}

    public ContextPrompt {
        documents = List.copyOf(documents);
    }

    private static final String RULES =
            "Answer the question using only the provided documents. Cite the documents you use by their index, "
                    + "like [1]. If the documents do not contain the answer, say that you do not know.";

    /** The system message for {@code provider}. */
    public String system(String provider) {
        String base = instructions == null || instructions.isBlank() ? "" : instructions.strip() + "\n\n";
        if ("anthropic".equals(provider)) {
            return base + RULES.replace("the provided documents", "the documents in <documents>");
        }
        return base + RULES;
    }

    /** The user message for {@code provider}. */
    public String user(String provider) {
        StringBuilder sb = new StringBuilder();
        if ("anthropic".equals(provider)) {
            sb.append("<documents>\n");
            for (int i = 0; i < documents.size(); i++) {
                Document d = documents.get(i);
                sb.append("<document index=\"").append(i + 1).append("\">\n");
                if (d.source() != null && !d.source().isBlank()) {
                    sb.append("<source>").append(xml(d.source())).append("</source>\n");
                }
                sb.append("<document_content>\n")
                        .append(xml(d.content()))
                        .append("\n</document_content>\n</document>\n");
            }
            sb.append("</documents>\n\n<question>\n").append(xml(question)).append("\n</question>");
            return sb.toString();
        }
        sb.append("Documents:\n\n");
        for (int i = 0; i < documents.size(); i++) {
            Document d = documents.get(i);
            sb.append('[').append(i + 1).append(']');
            if (d.source() != null && !d.source().isBlank()) {
                sb.append(' ').append(d.source());
            }
            sb.append("\n\"\"\"\n")
                    .append(d.content().replace("\"\"\"", "\" \" \""))
                    .append("\n\"\"\"\n\n");
        }
        sb.append("Question: ").append(question);
        return sb.toString();
    }

    private static String xml(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
