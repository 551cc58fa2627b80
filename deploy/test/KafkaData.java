import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Test data for deploy/test/backup-restore.sh (single-file program, Kafka's jars on the class path).
 *
 * <pre>
 * KafkaData &lt;bootstrap&gt; write &lt;topic&gt; &lt;group&gt;   produce 10 records to partition 0, consume 7 of them with a
 *                                              real consumer of the group and commit (offset 7)
 * KafkaData &lt;bootstrap&gt; offset &lt;topic&gt; &lt;group&gt;  print the group's committed offset of partition 0 (or "none")
 * KafkaData &lt;bootstrap&gt; delete-group &lt;group&gt;     delete the consumer group (what a Kafka wipe loses)
 * </pre>
 */
public final class KafkaData {
  public static void main(String[] args) throws Exception {
    String bootstrap = args[0];
    switch (args[1]) {
      case "write" -> write(bootstrap, args[2], args[3]);
      case "offset" -> {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
          OffsetAndMetadata o = admin.listConsumerGroupOffsets(args[3]).partitionsToOffsetAndMetadata().get()
              .get(new TopicPartition(args[2], 0));
          System.out.println(o == null ? "none" : Long.toString(o.offset()));
        }
      }
      case "delete-group" -> {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
          admin.deleteConsumerGroups(List.of(args[2])).all().get();
        }
      }
      default -> {
        System.err.println("usage: KafkaData <bootstrap> write|offset <topic> <group> | delete-group <group>");
        System.exit(64);
      }
    }
  }

  private static void write(String bootstrap, String topic, String group) throws Exception {
    TopicPartition tp = new TopicPartition(topic, 0);
    Properties p = new Properties();
    p.put("bootstrap.servers", bootstrap);
    p.put("key.serializer", StringSerializer.class.getName());
    p.put("value.serializer", StringSerializer.class.getName());
    try (KafkaProducer<String, String> producer = new KafkaProducer<>(p)) {
      for (int i = 0; i < 10; i++) {
        producer.send(new ProducerRecord<>(topic, 0, "k" + i, "{\"n\":" + i + "}")).get();
      }
    }
    Properties c = new Properties();
    c.put("bootstrap.servers", bootstrap);
    c.put("group.id", group);
    c.put("enable.auto.commit", "false");
    c.put("key.deserializer", StringDeserializer.class.getName());
    c.put("value.deserializer", StringDeserializer.class.getName());
    try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(c)) {
      consumer.assign(List.of(tp));
      consumer.seekToBeginning(List.of(tp));
      long start = consumer.position(tp);
      int read = 0;
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (read < 7 && System.nanoTime() < deadline) {
        ConsumerRecords<String, String> records = consumer.poll(Duration.ofMillis(500));
        read += records.count();
      }
      if (read < 7) {
        throw new IllegalStateException("read only " + read + " records");
      }
      consumer.commitSync(Map.of(tp, new OffsetAndMetadata(start + 7)));
      System.out.println("committed " + (start + 7));
    }
  }
}
