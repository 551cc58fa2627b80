package dev.devloop.contracts.events;

/**
 * A record a consumer must not apply: malformed, over a bound, or from a producer that may not send it. The
 * {@link Kind} lets adapters count refusals by cause; the message says what to fix and becomes the dead-letter reason.
 */
public class InvalidEventException extends RuntimeException {
    /** Why the record was refused. */
    public enum Kind {
        /** Not a CloudEvent this platform accepts: size, JSON, envelope, tenant or data. */
        MALFORMED,
        /** No signature and no producer grant, where one is required. */
        UNSIGNED,
        /** A signature or grant that does not verify, or that does not match the record. */
        FORGED,
        /** A verified producer that may not send to this topic or for this tenant. */
        NOT_ALLOWED,
        /** A producer grant its tenant's admin revoked before it expired. */
        REVOKED
    }

    private final Kind kind;

    public InvalidEventException(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public InvalidEventException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }

    static InvalidEventException malformed(String message) {
        return new InvalidEventException(Kind.MALFORMED, message);
    }
}
