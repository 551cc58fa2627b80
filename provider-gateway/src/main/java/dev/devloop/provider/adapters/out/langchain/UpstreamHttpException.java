package dev.devloop.provider.adapters.out.langchain;

/** An upstream non-2xx answer, captured with the headers LangChain4j's exceptions drop. */
public final class UpstreamHttpException extends RuntimeException {
    private final int status;
    private final String retryAfter;
    private final String body;

    public UpstreamHttpException(int status, String retryAfter, String body) {
        super("upstream answered HTTP " + status);
        this.status = status;
        this.retryAfter = retryAfter;
        this.body = body;
    }

    public int status() {
        return status;
    }

    public String retryAfter() {
        return retryAfter;
    }

    public String body() {
        return body;
    }
}
