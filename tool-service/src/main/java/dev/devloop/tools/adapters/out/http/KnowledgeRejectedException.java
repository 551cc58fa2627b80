package dev.devloop.tools.adapters.out.http;

/** knowledge-service answered 4xx: the request is wrong, so it is neither retried nor held against the circuit. */
class KnowledgeRejectedException extends RuntimeException {
    KnowledgeRejectedException(String message) {
        super(message);
    }
}
