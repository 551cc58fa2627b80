package dev.devloop.gateway.adapters.in.rest;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.devloop.contracts.problem.ProblemException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code fields=} selection and cursor pages over a downstream answer. A cursor is opaque to clients and only
 * continues the list it came from: base64url of {@code v1:<offset>:<hash of the list's filters>} over a bounded
 * downstream list, or {@code v2:<hash>:<the service's keyset key>} for lists the service pages itself.
 */
final class ListShaper {
    private static final Pattern FIELD = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,63}");
    private static final Pattern CURSOR = Pattern.compile("v1:(\\d{1,9}):([0-9a-f]{16})");
    private static final Pattern KEYSET_CURSOR = Pattern.compile("v2:([0-9a-f]{16}):([A-Za-z0-9_-]{1,1024})");

    private ListShaper() {}

    /** The selected top-level field names, or {@code null} for all; 400 naming {@code fields} when malformed. */
    static Set<String> fields(String fields, int maxFields) {
        if (fields == null) {
            return null;
        }
        String[] names = fields.split(",", maxFields + 1);
        if (names.length > maxFields) {
            throw ProblemException.badRequest("fields", "at most " + maxFields + " field names");
        }
        Set<String> wanted = new LinkedHashSet<>();
        for (String name : names) {
            String trimmed = name.trim();
            if (!FIELD.matcher(trimmed).matches()) {
                throw ProblemException.badRequest(
                        "fields", "fields is a comma-separated list of top-level names matching " + FIELD.pattern());
            }
            wanted.add(trimmed);
        }
        return wanted;
    }

    /** A page request: where it starts and how many items it holds. */
    record Page(int offset, int size, String filterHash) {
        /** How many items to ask the downstream list for: one more than the page to know whether more follow. */
        int fetch(int downstreamMax) {
            return (int) Math.min((long) offset + size + 1, downstreamMax);
        }
    }

    /** Parses {@code limit} and {@code cursor}; 400 naming the field when out of bounds or not ours. */
    static Page page(Integer limit, String cursor, int defaultSize, int maxSize, String filterHash) {
        int size = limit == null ? defaultSize : limit;
        if (size < 1 || size > maxSize) {
            throw ProblemException.badRequest("limit", "limit must be between 1 and " + maxSize);
        }
        if (cursor == null) {
            return new Page(0, size, filterHash);
        }
        Matcher m = CURSOR.matcher(decodeCursor(cursor, 128));
        if (!m.matches() || !m.group(2).equals(filterHash)) {
            throw ProblemException.badRequest("cursor", "cursor is not a nextCursor of this list (same filters)");
        }
        return new Page(Integer.parseInt(m.group(1)), size, filterHash);
    }

    /** A keyset page request: its size and the service's key to continue after ({@code null}: the first page). */
    record KeysetPage(int size, String after, String filterHash) {
        /** The service's own paging parameters. */
        String downstreamQuery() {
            return "limit=" + size + (after == null ? "" : "&after=" + after);
        }
    }

    /** Parses {@code limit} and a keyset {@code cursor}; 400 naming the field when out of bounds or not ours. */
    static KeysetPage keysetPage(Integer limit, String cursor, int defaultSize, int maxSize, String filterHash) {
        int size = limit == null ? defaultSize : limit;
        if (size < 1 || size > maxSize) {
            throw ProblemException.badRequest("limit", "limit must be between 1 and " + maxSize);
        }
        if (cursor == null) {
            return new KeysetPage(size, null, filterHash);
        }
        Matcher m = KEYSET_CURSOR.matcher(decodeCursor(cursor, 1100));
        if (!m.matches() || !m.group(1).equals(filterHash)) {
            throw ProblemException.badRequest("cursor", "cursor is not a nextCursor of this list (same filters)");
        }
        return new KeysetPage(size, m.group(2), filterHash);
    }

    /** {@code {"items":[...],"nextCursor":...}} from the service's page (a JSON array) and its next key. */
    static byte[] keysetList(ObjectMapper json, byte[] body, KeysetPage page, Set<String> fields, String nextAfter)
            throws IOException {
        JsonNode array = json.readTree(body);
        if (!array.isArray()) {
            return body;
        }
        ArrayNode items = json.createArrayNode();
        array.forEach(item -> items.add(select(item, fields)));
        ObjectNode out = json.createObjectNode();
        out.set("items", items);
        boolean valid = nextAfter != null && nextAfter.length() <= 1024 && nextAfter.matches("[A-Za-z0-9_-]+");
        out.put(
                "nextCursor",
                valid
                        ? Base64.getUrlEncoder()
                                .withoutPadding()
                                .encodeToString(("v2:" + page.filterHash() + ":" + nextAfter)
                                        .getBytes(StandardCharsets.US_ASCII))
                        : null);
        return json.writeValueAsBytes(out);
    }

    private static String decodeCursor(String cursor, int maxLength) {
        try {
            return cursor.length() > maxLength
                    ? ""
                    : new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.US_ASCII);
        } catch (IllegalArgumentException e) {
            return "";
        }
    }

    /** Keeps only {@code fields} of an object (all when null). */
    static JsonNode select(JsonNode node, Set<String> fields) {
        if (fields == null || !(node instanceof ObjectNode object)) {
            return node;
        }
        ObjectNode selected = object.objectNode();
        for (String field : fields) {
            if (object.has(field)) {
                selected.set(field, object.get(field));
            }
        }
        return selected;
    }

    /**
     * {@code {"items":[...],"nextCursor":...}} from a downstream JSON array (or an object whose {@code arrayField}
     * is one), the page's slice with {@code fields} applied.
     */
    static byte[] listPage(
            ObjectMapper json, byte[] body, String arrayField, Page page, Set<String> fields, int downstreamMax)
            throws IOException {
        if (arrayField == null && fields == null) {
            return streamedPage(json, body, page, downstreamMax);
        }
        JsonNode root = json.readTree(body);
        JsonNode array = arrayField == null ? root : root.path(arrayField);
        if (!array.isArray()) {
            return body;
        }
        ArrayNode items = json.createArrayNode();
        int end = Math.min(array.size(), page.offset() + page.size());
        for (int i = page.offset(); i < end; i++) {
            items.add(select(array.get(i), fields));
        }
        ObjectNode out = json.createObjectNode();
        out.set("items", items);
        boolean more = array.size() > end && end < downstreamMax;
        out.put("nextCursor", more ? cursor(end, page.filterHash()) : null);
        return json.writeValueAsBytes(out);
    }

    /**
     * {@link #listPage} of a top-level array with every field: the page's items are passed on as the bytes the
     * service sent (one contiguous range of its answer) inside the envelope, never re-serialised, and no tree of the
     * list is built (the hot path of list reads). The answer is still tokenised to its end, so a malformed one fails
     * as it does in the tree version.
     */
    private static byte[] streamedPage(ObjectMapper json, byte[] body, Page page, int downstreamMax)
            throws IOException {
        long wanted = (long) page.offset() + page.size();
        int index = 0;
        long from = -1;
        long to = -1;
        try (JsonParser in = json.createParser(body)) {
            if (in.nextToken() != JsonToken.START_ARRAY) {
                return body;
            }
            for (JsonToken token = in.nextToken(); token != JsonToken.END_ARRAY; token = in.nextToken()) {
                if (token == null) {
                    throw new JsonParseException(in, "the list ends before its closing bracket");
                }
                if (index == page.offset()) {
                    from = in.currentTokenLocation().getByteOffset();
                } else if (index == wanted) {
                    to = in.currentTokenLocation().getByteOffset();
                }
                in.skipChildren();
                index++;
            }
            if (from >= 0 && to < 0) {
                to = in.currentTokenLocation().getByteOffset();
            }
        }
        int end = (int) Math.min(index, wanted);
        boolean more = index > end && end < downstreamMax;
        String cursor = more ? "\"" + cursor(end, page.filterHash()) + "\"" : "null";
        // one array of the page's exact size, each part copied once
        int itemsLength = from >= 0 ? itemsEnd(body, (int) from, (int) to) - (int) from : 0;
        byte[] tail = ("],\"nextCursor\":" + cursor + "}").getBytes(StandardCharsets.US_ASCII);
        byte[] out = new byte[ITEMS_OPEN.length + itemsLength + tail.length];
        System.arraycopy(ITEMS_OPEN, 0, out, 0, ITEMS_OPEN.length);
        if (itemsLength > 0) {
            System.arraycopy(body, (int) from, out, ITEMS_OPEN.length, itemsLength);
        }
        System.arraycopy(tail, 0, out, ITEMS_OPEN.length + itemsLength, tail.length);
        return out;
    }

    private static final byte[] ITEMS_OPEN = "{\"items\":[".getBytes(StandardCharsets.US_ASCII);

    /**
     * Where the last item of the range ends: {@code next} is where the token after it starts (the next item or the
     * closing bracket), and only whitespace and one comma lie between the two in JSON.
     */
    private static int itemsEnd(byte[] body, int from, int next) {
        int end = next;
        while (end > from && isSpace(body[end - 1])) {
            end--;
        }
        if (end > from && body[end - 1] == ',') {
            end--;
        }
        while (end > from && isSpace(body[end - 1])) {
            end--;
        }
        return end;
    }

    private static boolean isSpace(byte b) {
        return b == ' ' || b == '\n' || b == '\r' || b == '\t';
    }

    /** The object with {@code fields} applied. */
    static byte[] object(ObjectMapper json, byte[] body, Set<String> fields) throws IOException {
        if (fields == null) {
            return body;
        }
        return json.writeValueAsBytes(select(json.readTree(body), fields));
    }

    static String cursor(int offset, String filterHash) {
        return Base64.getUrlEncoder()
                .withoutPadding()
                .encodeToString(("v1:" + offset + ":" + filterHash).getBytes(StandardCharsets.US_ASCII));
    }
}
