package dev.devloop.contracts.events;

/**
 * The consumer side in one call: read the record with the codec's strictness, then prove its producer. A record
 * that fails either is an {@link InvalidEventException} naming the cause.
 */
public final class EventGate {
    /** A record's event and who produced it ({@code unsigned} only when signatures are not required). */
    public record Accepted(CloudEvent event, String producer) {}

    public static final String UNSIGNED = "unsigned";

    private final CloudEventCodec codec;
    private final EventSignatures signatures;
    private final boolean requireSignature;
    private final GrantRevocations revocations;

    public EventGate(CloudEventCodec codec, EventSignatures signatures, boolean requireSignature) {
        this(codec, signatures, requireSignature, GrantRevocations.NONE);
    }

    public EventGate(
            CloudEventCodec codec, EventSignatures signatures, boolean requireSignature, GrantRevocations revocations) {
        this.codec = codec;
        this.signatures = signatures;
        this.requireSignature = requireSignature;
        this.revocations = revocations;
    }

    /**
     * The event of a record consumed from logical {@code topic}, with the values of its {@link
     * EventSignatures#SIGNATURE_HEADER} and {@link EventSignatures#GRANT_HEADER} headers (null when absent).
     */
    public Accepted accept(String topic, String value, String signature, String grant, CloudEventCodec.Limits limits) {
        CloudEvent event = codec.decode(value, limits);
        if (signature == null && grant == null && !requireSignature) {
            return new Accepted(event, UNSIGNED);
        }
        return new Accepted(event, signatures.verify(topic, event, value, signature, grant, revocations));
    }

    public CloudEventCodec codec() {
        return codec;
    }
}
