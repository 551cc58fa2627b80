package dev.devloop.contracts.events;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.devloop.contracts.identity.IdentityConfig;
import dev.devloop.contracts.identity.ServiceKeys;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** The event codec, signer and consumer gate of this service, built once. */
public class EventBeans {
    @Produces
    @Singleton
    CloudEventCodec cloudEventCodec(ObjectMapper json) {
        return new CloudEventCodec(json);
    }

    @Produces
    @Singleton
    EventSignatures eventSignatures(ServiceKeys keys, IdentityConfig identity) {
        return new EventSignatures(keys, identity.issuer());
    }

    @Produces
    @Singleton
    KafkaEvents kafkaEvents(CloudEventCodec codec, EventSignatures signatures) {
        return new KafkaEvents(codec, signatures);
    }

    @Produces
    @Singleton
    EventGate eventGate(
            CloudEventCodec codec,
            EventSignatures signatures,
            EventsConfig config,
            Instance<GrantRevocations> revocations) {
        // a service that takes producer grants (agent-service, the tasks topic) supplies the revocation list
        return new EventGate(
                codec,
                signatures,
                config.requireSignature(),
                revocations.isResolvable() ? revocations.get() : GrantRevocations.NONE);
    }
}
