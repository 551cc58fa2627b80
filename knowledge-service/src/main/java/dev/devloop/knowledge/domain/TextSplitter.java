package dev.devloop.knowledge.domain;

import java.util.ArrayList;
import java.util.List;

/**
 * Recursive character splitter: cuts text at the coarsest separator that yields pieces no longer than
 * {@code chunkSize} (paragraph, then line, then sentence, then word, then characters), merges adjacent
 * pieces up to {@code chunkSize}, and starts each chunk with up to {@code overlap} characters of the
 * previous one (whole pieces only, so overlap never cuts a word).
 */
public final class TextSplitter {
    private static final String[] SEPARATORS = {"\n\n", "\n", ". ", " "};

    private final int chunkSize;
    private final int overlap;

    public TextSplitter(int chunkSize, int overlap) {
        if (chunkSize < 1 || overlap < 0 || overlap >= chunkSize) {
            throw new IllegalArgumentException("need chunkSize >= 1 and 0 <= overlap < chunkSize");
        }
        this.chunkSize = chunkSize;
        this.overlap = overlap;
    }

    /** The chunks of {@code text}, trimmed, never empty strings; no chunk is longer than the chunk size. */
    public List<String> split(String text) {
        List<String> chunks = new ArrayList<>();
        if (text == null || text.isBlank()) {
            return chunks;
        }
        for (String chunk : split(text, 0)) {
            String trimmed = chunk.strip();
            if (!trimmed.isEmpty()) {
                chunks.add(trimmed);
            }
        }
        return chunks;
    }

    private List<String> split(String text, int level) {
        if (text.length() <= chunkSize) {
            return List.of(text);
        }
        if (level >= SEPARATORS.length) {
            List<String> hard = new ArrayList<>();
            int step = chunkSize - overlap;
            for (int start = 0; start < text.length(); start += step) {
                hard.add(text.substring(start, Math.min(text.length(), start + chunkSize)));
                if (start + chunkSize >= text.length()) {
                    break;
                }
            }
            return hard;
        }
        String separator = SEPARATORS[level];
        List<String> pieces = pieces(text, separator);
        if (pieces.size() == 1) {
            return split(text, level + 1);
        }
        List<String> small = new ArrayList<>();
        for (String piece : pieces) {
            if (piece.length() <= chunkSize) {
                small.add(piece);
            } else {
                small.addAll(split(piece, level + 1));
            }
        }
        return merge(small);
    }

    /** Splits keeping each separator at the end of its piece, so merged chunks read like the source. */
    private static List<String> pieces(String text, String separator) {
        List<String> pieces = new ArrayList<>();
        int from = 0;
        int at;
        while ((at = text.indexOf(separator, from)) >= 0) {
            pieces.add(text.substring(from, at + separator.length()));
            from = at + separator.length();
        }
        if (from < text.length()) {
            pieces.add(text.substring(from));
        }
        return pieces;
    }

    private List<String> merge(List<String> pieces) {
        List<String> chunks = new ArrayList<>();
        List<String> current = new ArrayList<>();
        int length = 0;
        for (String piece : pieces) {
            if (length + piece.length() > chunkSize && !current.isEmpty()) {
                chunks.add(String.join("", current));
                while (!current.isEmpty() && (length > overlap || length + piece.length() > chunkSize)) {
                    length -= current.remove(0).length();
                }
            }
            current.add(piece);
            length += piece.length();
        }
        if (!current.isEmpty()) {
            chunks.add(String.join("", current));
        }
        return chunks;
    }
}
