package dev.devloop.tools.ports.out;

import java.util.List;
import java.util.Map;

/**
 * Outgoing port to the broker's dead-letter topics: their offsets, the replay group's committed positions, the
 * records between two positions, republishing and committing. Every method throws {@link DownstreamException} when
 * the broker cannot answer.
 */
public interface DeadLetterPort {
    /** A record header; the value as sent (may be null). */
    record Header(String key, byte[] value) {}

    /** One record read from a dead-letter topic, key and value as the bytes on the wire (either may be null). */
    record Letter(int partition, long offset, byte[] key, byte[] value, List<Header> headers) {
        public Letter {
            headers = List.copyOf(headers);
        }

        /** Bytes this record weighs: key, value and headers. */
        public long size() {
            long size = length(key) + length(value);
            for (Header h : headers) {
                size += h.key().length() + length(h.value());
            }
            return size;
        }

        private static long length(byte[] bytes) {
            return bytes == null ? 0 : bytes.length;
        }
    }

    /** A record to publish on {@code topic}. */
    record Outgoing(String topic, byte[] key, byte[] value, List<Header> headers) {
        public Outgoing {
            headers = List.copyOf(headers);
        }
    }

    /** The topic's partitions and their end offsets (the next offset to be written); empty when there is no topic. */
    Map<Integer, Long> endOffsets(String topic);

    /** Where {@code group} resumes on each partition: its committed offset, else the partition's first offset. */
    Map<Integer, Long> positions(String topic, String group);

    /**
     * Records of {@code topic} from {@code from} (inclusive) up to {@code until} (exclusive) per partition, in offset
     * order per partition, stopping at {@code maxRecords}, past {@code maxBytes} (the record that crosses it is not
     * taken, unless it is the first) or at {@code timeoutMs}.
     */
    List<Letter> read(
            String topic,
            Map<Integer, Long> from,
            Map<Integer, Long> until,
            int maxRecords,
            long maxBytes,
            long timeoutMs);

    /** Publishes every record and returns once the broker acknowledged all of them (acks=all). */
    void publish(List<Outgoing> records, long timeoutMs);

    /** Commits {@code next} (the next offset to read, per partition) for {@code group} on {@code topic}. */
    void commit(String topic, String group, Map<Integer, Long> next);
}
