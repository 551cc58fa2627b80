package dev.devloop.tools.ports.out;

/**
 * A dependency (a sibling service, a store) is away for now and the call did not take effect, or repeating it is
 * harmless (a read, an overwrite). Unlike {@link DownstreamException} it is not a tool's result: the invocation is
 * not recorded, its idempotency claim is released and the caller is told to retry with the same key.
 */
public class DependencyUnavailableException extends RuntimeException {
    private final String dependency;

    public DependencyUnavailableException(String dependency, String message, Throwable cause) {
        super(message, cause);
        this.dependency = dependency;
    }

    /** The dependency that was away, as a caller may read it ({@code knowledge-service}, {@code MongoDB}). */
    public String dependency() {
        return dependency;
    }
}
