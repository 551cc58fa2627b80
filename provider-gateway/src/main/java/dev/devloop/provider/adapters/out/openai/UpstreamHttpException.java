package dev.devloop.provider.adapters.out.openai;

/** An upstream non-2xx answer, captured with the headers LangChain4j's exceptions drop. */
final class UpstreamHttpException extends RuntimeException {
  private final int status;
  private final String retryAfter;
  private final String body;

  UpstreamHttpException(int status, String retryAfter, String body) {
    super("upstream answered HTTP " + status);
    this.status = status;
    this.retryAfter = retryAfter;
    this.body = body;
  }

  int status() {
    return status;
  }

  String retryAfter() {
    return retryAfter;
  }

  String body() {
    return body;
  }
}
