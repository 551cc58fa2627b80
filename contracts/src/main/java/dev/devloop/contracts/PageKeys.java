package dev.devloop.contracts;

import dev.devloop.contracts.problem.ProblemException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;

/**
 * Keyset page keys shared by the services' list endpoints: {@code ?after=<key>&limit=n} continues a list
 * after the item whose sort key is {@code key}, and the answer's {@link Headers#NEXT_AFTER} header carries
 * the key of its last item when more follow. A key is base64url (no padding) of the sort-key parts joined by
 * U+0000, so it is opaque, URL-safe and never needs escaping; at most {@link #MAX_LENGTH} characters.
 */
public final class PageKeys {
    public static final int MAX_LENGTH = 1024;
    private static final String SEPARATOR = "\u0000";

    private PageKeys() {}

    /** The key of an item with these sort-key parts. */
    public static String encode(String... parts) {
        return Base64.getUrlEncoder()
                .withoutPadding()
                .encodeToString(String.join(SEPARATOR, parts).getBytes(StandardCharsets.UTF_8));
    }

    /** The parts of {@code after} (null when absent); 400 naming {@code after} when it is not a key of this list. */
    public static List<String> decode(String after, int parts) {
        if (after == null) {
            return null;
        }
        String text;
        try {
            text = after.isEmpty() || after.length() > MAX_LENGTH
                    ? null
                    : new String(Base64.getUrlDecoder().decode(after), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            text = null;
        }
        List<String> decoded = text == null ? List.of() : Arrays.asList(text.split(SEPARATOR, -1));
        if (decoded.size() != parts) {
            throw ProblemException.badRequest("after", "after must be a " + Headers.NEXT_AFTER + " value of this list");
        }
        return decoded;
    }
}
