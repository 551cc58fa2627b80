package dev.devloop.archrules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * What a service's Kafka configuration test extends (issue 16, stack start): every Kafka producer of the service —
 * each outgoing channel and each consumer's dead-letter producer — is created with its first record
 * ({@code lazy-client=true}), not while the application starts, where SmallRye created and connected them one after
 * another on the start thread. That a lazily created producer still delivers its first record is what each
 * service's own Kafka tests show.
 */
public abstract class LazyKafkaProducersTest {
    private static final Pattern OUTGOING = Pattern.compile("mp\\.messaging\\.outgoing\\.([^.]+)\\.connector");
    private static final Pattern FAILURE_STRATEGY =
            Pattern.compile("mp\\.messaging\\.incoming\\.([^.]+)\\.failure-strategy");

    @Test
    void everyProducerIsCreatedWithItsFirstRecord() throws IOException {
        Properties config = new Properties();
        try (InputStream in = getClass().getClassLoader().getResourceAsStream("application.properties")) {
            assertNotNull(in, "application.properties on the class path");
            config.load(in);
        }
        List<String> producers = new ArrayList<>();
        for (String key : config.stringPropertyNames()) {
            Matcher out = OUTGOING.matcher(key);
            if (out.matches()) {
                producers.add("mp.messaging.outgoing." + out.group(1) + ".lazy-client");
            }
            Matcher in = FAILURE_STRATEGY.matcher(key);
            if (in.matches() && config.getProperty(key).startsWith("dead-letter")) {
                producers.add("mp.messaging.incoming." + in.group(1) + ".dead-letter-queue.lazy-client");
            }
        }
        assertFalse(producers.isEmpty(), "the service's Kafka producers");
        for (String lazy : producers) {
            assertEquals("true", config.getProperty(lazy), lazy);
        }
    }
}
