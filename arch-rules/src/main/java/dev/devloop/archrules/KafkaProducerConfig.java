package dev.devloop.archrules;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A service's Kafka producers as its {@code application.properties} declares them (issue 16, stack start): each
 * outgoing channel and each consumer's dead-letter producer, by the key of its {@code lazy-client} setting. A lazy
 * producer is created with its first record, not on the start thread where SmallRye created them one by one.
 */
public final class KafkaProducerConfig {
    private static final Pattern OUTGOING = Pattern.compile("mp\\.messaging\\.outgoing\\.([^.]+)\\.connector");
    private static final Pattern FAILURE_STRATEGY =
            Pattern.compile("mp\\.messaging\\.incoming\\.([^.]+)\\.failure-strategy");

    private final Properties config;

    private KafkaProducerConfig(Properties config) {
        this.config = config;
    }

    /** The {@code application.properties} on the caller's class path. */
    public static KafkaProducerConfig ofApplicationProperties(Class<?> caller) {
        Properties config = new Properties();
        try (InputStream in = caller.getClassLoader().getResourceAsStream("application.properties")) {
            if (in == null) {
                throw new IllegalStateException("no application.properties on the class path of " + caller);
            }
            config.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new KafkaProducerConfig(config);
    }

    public static KafkaProducerConfig of(Properties config) {
        return new KafkaProducerConfig(config);
    }

    /** The {@code lazy-client} key of every producer the configuration declares. */
    public List<String> producers() {
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
        return producers;
    }

    /** The producers created at start: those whose {@code lazy-client} is not {@code true}. */
    public List<String> eagerProducers() {
        return producers().stream()
                .filter(key -> !"true".equals(config.getProperty(key)))
                .toList();
    }
}
