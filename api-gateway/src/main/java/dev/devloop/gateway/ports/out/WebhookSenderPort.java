package dev.devloop.gateway.ports.out;

import java.util.Map;

/** Outgoing port: POSTs a body to a receiver's URL and reports its status (0 and an error when none came). */
public interface WebhookSenderPort {

    /** The receiver's answer. */
    record Answer(int status, String error) {
        public boolean success() {
            return status >= 200 && status < 300;
        }
    }

    Answer post(String url, Map<String, String> headers, String body);
}
