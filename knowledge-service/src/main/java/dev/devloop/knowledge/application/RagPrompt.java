package dev.devloop.knowledge.application;

import dev.devloop.knowledge.domain.SearchHit;
import dev.devloop.knowledge.ports.in.RagAnswer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Builds the bounded RAG context: hits de-duplicated (same chunk, or the same text), numbered from 1, and
 * added in rank order while they fit the character budget (tokens × 4); the first source is cut to the
 * budget rather than dropped. The system prompt uses XML document tags for Anthropic models and plain
 * numbered text otherwise.
 */
public final class RagPrompt {
    static final String INSTRUCTIONS = "Answer the user's question using only the numbered sources. Cite the sources "
            + "you use as [n]. If the sources do not contain the answer, say that you do not know.";

    private final List<RagAnswer.Source> sources;
    private final String systemPrompt;

    private RagPrompt(List<RagAnswer.Source> sources, String systemPrompt) {
        this.sources = sources;
        this.systemPrompt = systemPrompt;
    }

    /** Builds the context of {@code hits} within {@code budgetChars}, for {@code provider} (may be null). */
    public static RagPrompt build(List<SearchHit> hits, int budgetChars, String provider) {
        boolean xml = provider != null && provider.toLowerCase(Locale.ROOT).equals("anthropic");
        Set<String> seenChunks = new HashSet<>();
        Set<String> seenTexts = new HashSet<>();
        List<RagAnswer.Source> sources = new ArrayList<>();
        StringBuilder context = new StringBuilder();
        int used = 0;
        for (SearchHit hit : hits) {
            String normalised = hit.text().strip().replaceAll("\\s+", " ").toLowerCase(Locale.ROOT);
            if (!seenChunks.add(hit.documentId() + "#" + hit.chunkIndex()) || !seenTexts.add(normalised)) {
                continue;
            }
            String text = hit.text().strip();
            int remaining = budgetChars - used;
            if (text.length() > remaining) {
                if (!sources.isEmpty()) {
                    continue;
                }
                text = text.substring(0, Math.max(0, remaining));
            }
            int index = sources.size() + 1;
            sources.add(new RagAnswer.Source(index, hit.documentId(), hit.title(), hit.chunkIndex()));
            used += text.length();
            context.append(xml ? xmlSource(index, hit.title(), text) : plainSource(index, hit.title(), text));
        }
        String system = xml
                ? INSTRUCTIONS + "\n\n<documents>\n" + context + "</documents>"
                : INSTRUCTIONS + "\n\nSources:\n\n" + context;
        return new RagPrompt(List.copyOf(sources), system);
    }

    public List<RagAnswer.Source> sources() {
        return sources;
    }

    public String systemPrompt() {
        return systemPrompt;
    }

    private static String xmlSource(int index, String title, String text) {
        return "<document index=\"" + index + "\">\n<source>" + escape(title) + "</source>\n<document_content>"
                + escape(text) + "</document_content>\n</document>\n";
    }

    private static String plainSource(int index, String title, String text) {
        return "[" + index + "] " + title + "\n" + text + "\n\n";
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
