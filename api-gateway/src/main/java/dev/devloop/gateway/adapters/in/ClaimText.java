package dev.devloop.gateway.adapters.in;

import jakarta.json.JsonString;

/** A string claim of a verified token, shared by the inbound edges (REST, the token memory, {@code /ws}). */
public final class ClaimText {

    private ClaimText() {}

    /** A string claim as smallrye-jwt hands it out (a JSON-P string or a plain one), or null. */
    public static String text(Object claim) {
        if (claim instanceof JsonString json) {
            return json.getString();
        }
        return claim instanceof String s ? s : null;
    }
}
