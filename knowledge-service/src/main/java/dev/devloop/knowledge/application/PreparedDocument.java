package dev.devloop.knowledge.application;

import dev.devloop.knowledge.domain.TextSplitter;
import dev.devloop.knowledge.ports.in.IngestDocumentCommand;
import dev.devloop.knowledge.ports.in.KnowledgeRefusal;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;

/**
 * A validated document before embedding: its fields, its text split into chunk texts and the hash of what decides its
 * stored form (content type, chunking, title, metadata, text), by which a re-ingest of the same content is recognised.
 * {@code generatedId} is true when the request named no id (such a document is always new).
 */
record PreparedDocument(
        String id,
        boolean generatedId,
        String title,
        String contentType,
        String text,
        Map<String, Object> metadata,
        List<String> pieces,
        String contentHash) {

    static final Set<String> CONTENT_TYPES = Set.of("text/plain", "text/markdown");

    /** Validates and splits one request; refusals name the request's own fields ({@code text}, {@code title}, …). */
    static PreparedDocument of(IngestDocumentCommand command, DocumentLimits limits, TextSplitter splitter) {
        boolean generated = command.id() == null;
        String id =
                generated ? UUID.randomUUID().toString() : Inputs.text("id", command.id(), limits.maxIdLength(), false);
        String title = Inputs.text("title", command.title(), limits.maxTitleLength(), false);
        String contentType = command.contentType() == null ? "text/plain" : command.contentType();
        if (!CONTENT_TYPES.contains(contentType)) {
            throw KnowledgeRefusal.invalid("contentType", "contentType must be one of " + CONTENT_TYPES);
        }
        String text = command.text();
        if (text == null || text.isBlank()) {
            throw KnowledgeRefusal.invalid("text", "text is required");
        }
        if (text.getBytes(StandardCharsets.UTF_8).length > limits.maxDocumentBytes()) {
            throw tooLarge("text is larger than " + limits.maxDocumentBytes() + " bytes");
        }
        Map<String, Object> metadata = Inputs.metadata(
                "metadata", command.metadata(), limits.maxMetadataEntries(), limits.maxMetadataValueLength());
        List<String> pieces = splitter.split(text);
        if (pieces.size() > limits.maxChunks()) {
            throw tooLarge("text splits into " + pieces.size() + " chunks, more than " + limits.maxChunks());
        }
        return new PreparedDocument(
                id,
                generated,
                title,
                contentType,
                text,
                metadata,
                pieces,
                hash(contentType, limits, title, metadata, text));
    }

    /** Length-prefixed fields, so no two different inputs share the hashed string. */
    private static String hash(
            String contentType, DocumentLimits limits, String title, Map<String, Object> metadata, String text) {
        StringBuilder s = new StringBuilder()
                .append(contentType)
                .append('\n')
                .append(limits.chunkSize())
                .append('/')
                .append(limits.chunkOverlap())
                .append('\n');
        field(s, title);
        for (Map.Entry<String, Object> e : new TreeMap<>(metadata).entrySet()) {
            field(s, e.getKey());
            field(s, e.getValue().getClass().getSimpleName());
            field(s, String.valueOf(e.getValue()));
        }
        s.append('\n');
        field(s, text);
        return EntityService.sha256(s.toString());
    }

    private static void field(StringBuilder s, String value) {
        s.append(value.length()).append(':').append(value);
    }

    static KnowledgeRefusal tooLarge(String detail) {
        return new KnowledgeRefusal(
                KnowledgeRefusal.Reason.TOO_LARGE, "document-too-large", "Payload too large", detail, "text", null);
    }
}
