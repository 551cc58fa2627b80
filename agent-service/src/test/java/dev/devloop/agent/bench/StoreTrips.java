package dev.devloop.agent.bench;

import com.mongodb.client.MongoClient;
import com.mongodb.event.CommandStartedEvent;
import com.mongodb.event.CommandSucceededEvent;
import dev.devloop.agent.support.CommandListeners;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.bson.BsonDocument;
import org.bson.RawBsonDocument;
import org.bson.codecs.BsonDocumentCodec;

/**
 * What each MongoDB round trip of the persisted phases carries and costs, per command: the command's and the reply's
 * BSON bytes and the driver's own time for the command (sent to reply decoded). A {@code ping} on the same connection
 * pool gives the store's floor (wire, wake-ups, dispatch, no collection work), so command p50 − ping p50 is the store's
 * work for the command.
 */
final class StoreTrips {
    private static final BsonDocumentCodec CODEC = new BsonDocumentCodec();

    private final Map<String, Stats> byCommand = new TreeMap<>();

    private static final class Stats {
        long commandBytes;
        long replyBytes;
        final List<Long> nanos = new ArrayList<>();
    }

    /** A client of {@code url} recording every command it sends. */
    MongoClient client(String url) {
        return CommandListeners.client(url, CommandListeners.of("store trips", this::started, this::succeeded));
    }

    private synchronized void started(CommandStartedEvent e) {
        stats(e.getCommandName()).commandBytes += bytes(e.getCommand());
    }

    private synchronized void succeeded(CommandSucceededEvent e) {
        Stats s = stats(e.getCommandName());
        s.replyBytes += bytes(e.getResponse());
        s.nanos.add(e.getElapsedTime(TimeUnit.NANOSECONDS));
    }

    private Stats stats(String command) {
        return byCommand.computeIfAbsent(command, c -> new Stats());
    }

    private static int bytes(BsonDocument document) {
        return document instanceof RawBsonDocument raw
                ? raw.getByteBuffer().remaining()
                : new RawBsonDocument(document, CODEC).getByteBuffer().remaining();
    }

    /** One line per command: count, bytes out and back per trip, the driver's p50, p90 and mean in µs. */
    synchronized List<String> lines() {
        List<String> lines = new ArrayList<>();
        byCommand.forEach((name, s) -> {
            if (s.nanos.isEmpty()) {
                return;
            }
            long[] sorted = s.nanos.stream().mapToLong(Long::longValue).sorted().toArray();
            int n = sorted.length;
            lines.add(String.format(
                    Locale.ROOT,
                    "  %-14s %6d trips  %5d B out  %4d B back  driver p50 %7.0f µs  p90 %7.0f µs  mean %7.0f µs",
                    name,
                    n,
                    s.commandBytes / n,
                    s.replyBytes / n,
                    sorted[n / 2] / 1e3,
                    sorted[Math.min(n - 1, n * 9 / 10)] / 1e3,
                    java.util.Arrays.stream(sorted).average().orElse(0) / 1e3));
        });
        return lines;
    }
}
