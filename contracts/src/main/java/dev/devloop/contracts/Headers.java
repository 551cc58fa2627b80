package dev.devloop.contracts;

/** HTTP headers that carry identity and context between Devloop services. */
public final class Headers {
    /** The tenant the call acts for; set by api-gateway from the token, trusted only on internal hops. */
    public static final String TENANT = "X-Devloop-Tenant";

    public static final String AGENT_TYPE = "X-Devloop-Agent-Type";
    public static final String AGENT_ID = "X-Devloop-Agent-Id";
    public static final String RUN_ID = "X-Devloop-Run-Id";
    /**
     * Who acts (the token's subject, set by api-gateway like the tenant): recorded on approvals and
     * definition changes for the audit trail.
     */
    public static final String SUBJECT = "X-Devloop-Subject";

    public static final String IDEMPOTENCY_KEY = "Idempotency-Key";
    /** The W3C trace id of the request, echoed to clients so they can find the trace. */
    public static final String TRACE_ID = "X-Devloop-Trace-Id";
    /**
     * On a keyset-paged list: the {@code after} value that continues it (see {@link PageKeys}); absent on the
     * last page.
     */
    public static final String NEXT_AFTER = "X-Devloop-Next-After";

    private Headers() {}
}
