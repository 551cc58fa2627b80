import java.io.BufferedWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.CreateTopicsResult;
import org.apache.kafka.clients.admin.DescribeClusterResult;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import org.apache.kafka.clients.admin.GroupListing;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.GroupType;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * Local Kafka checks for deploy/devloop, in one JVM (JVM start is slow on small machines).
 *
 * <pre>
 * KafkaAdmin &lt;bootstrap&gt; ping [timeoutSeconds]
 *     one metadata round-trip (describeCluster + listTopics); exit 0 when it answers
 * KafkaAdmin &lt;bootstrap&gt; ensure-topics &lt;timeoutSeconds&gt; name:partitions ...
 *     wait until the broker answers metadata calls, create the missing topics (replication 1),
 *     then list again and check that every topic is there
 * KafkaAdmin &lt;bootstrap&gt; offsets-export &lt;file&gt;
 *     every consumer group's committed offsets, one "group TAB topic TAB partition TAB offset" line each
 *     (what kafka-consumer-groups.sh --describe --all-groups shows as CURRENT-OFFSET)
 * KafkaAdmin &lt;bootstrap&gt; offsets-import &lt;file&gt;
 *     commit those offsets again (kafka-consumer-groups.sh --reset-offsets --to-offset); each group must
 *     have no active member; an offset beyond the partition's end is lowered to the end (said so)
 * </pre>
 *
 * With DEVLOOP_KAFKA_CLIENT_CONFIG set to a properties file, its settings (security.protocol, sasl.*) are added to
 * every client: the admin's SCRAM login when the broker runs with DEVLOOP_KAFKA_SASL=1.
 *
 * Compiled once by deploy/lib/servers.sh into .devloop/servers/kafka/tools and run with the broker's
 * own jars on the class path.
 */
public final class KafkaAdmin {

  private KafkaAdmin() {}

  public static void main(String[] args) throws Exception {
    if (args.length < 2) {
      usage();
    }
    String bootstrap = args[0];
    String mode = args[1];
    switch (mode) {
      case "ping" -> System.exit(ping(bootstrap, args.length > 2 ? Integer.parseInt(args[2]) : 5));
      case "ensure-topics" -> {
        if (args.length < 3) {
          usage();
        }
        List<String> specs = List.of(args).subList(3, args.length);
        System.exit(ensureTopics(bootstrap, Integer.parseInt(args[2]), specs));
      }
      case "offsets-export" -> {
        if (args.length != 3) {
          usage();
        }
        System.exit(offsetsExport(bootstrap, Path.of(args[2])));
      }
      case "offsets-import" -> {
        if (args.length != 3) {
          usage();
        }
        System.exit(offsetsImport(bootstrap, Path.of(args[2])));
      }
      default -> usage();
    }
  }

  private static void usage() {
    System.err.println(
        "usage: KafkaAdmin <bootstrap> ping [timeoutSeconds] | "
            + "KafkaAdmin <bootstrap> ensure-topics <timeoutSeconds> name:partitions ... | "
            + "KafkaAdmin <bootstrap> offsets-export|offsets-import <file>");
    System.exit(2);
  }

  private static Admin admin(String bootstrap, int timeoutSeconds) {
    Properties p = new Properties();
    p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(AdminClientConfig.CLIENT_ID_CONFIG, "devloop-deploy");
    int ms = (int) TimeUnit.SECONDS.toMillis(timeoutSeconds);
    p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, Math.min(ms, 5000));
    p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, ms);
    p.put(AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 500);
    p.putAll(clientConfig());
    return Admin.create(p);
  }

  /**
   * The client security settings of DEVLOOP_KAFKA_CLIENT_CONFIG, a properties file (deploy/lib/kafka-sasl.sh writes the
   * admin's SASL/SCRAM settings there when DEVLOOP_KAFKA_SASL=1); none when unset.
   */
  private static Properties clientConfig() {
    Properties p = new Properties();
    String file = System.getenv("DEVLOOP_KAFKA_CLIENT_CONFIG");
    if (file == null || file.isBlank()) {
      return p;
    }
    try (var in = Files.newBufferedReader(Path.of(file))) {
      p.load(in);
    } catch (java.io.IOException e) {
      System.err.println("cannot read DEVLOOP_KAFKA_CLIENT_CONFIG " + file + ": " + e.getMessage());
      System.exit(2);
    }
    return p;
  }

  private static int ping(String bootstrap, int timeoutSeconds) {
    try (Admin admin = admin(bootstrap, timeoutSeconds)) {
      String summary = metadata(admin, timeoutSeconds);
      System.out.println("kafka ok: " + summary);
      return 0;
    } catch (Exception e) {
      System.err.println("kafka metadata call failed: " + rootMessage(e));
      return 1;
    }
  }

  private static String metadata(Admin admin, int timeoutSeconds) throws Exception {
    DescribeClusterResult cluster = admin.describeCluster();
    String clusterId = cluster.clusterId().get(timeoutSeconds, TimeUnit.SECONDS);
    int brokers = cluster.nodes().get(timeoutSeconds, TimeUnit.SECONDS).size();
    int topics = admin.listTopics().names().get(timeoutSeconds, TimeUnit.SECONDS).size();
    return "cluster " + clusterId + ", " + brokers + " broker(s), " + topics + " topic(s)";
  }

  private static int ensureTopics(String bootstrap, int timeoutSeconds, List<String> specs)
      throws Exception {
    Instant deadline = Instant.now().plusSeconds(timeoutSeconds);
    try (Admin admin = admin(bootstrap, 5)) {
      // 1. wait for a real metadata round-trip
      Exception last = null;
      boolean ready = false;
      while (Instant.now().isBefore(deadline)) {
        try {
          metadata(admin, 5);
          ready = true;
          break;
        } catch (Exception e) {
          last = e;
          Thread.sleep(500);
        }
      }
      if (!ready) {
        System.err.println(
            "kafka did not answer metadata calls within "
                + timeoutSeconds
                + " s: "
                + (last == null ? "timeout" : rootMessage(last)));
        return 1;
      }

      // 2. create what is missing
      Set<String> existing =
          admin.listTopics(new ListTopicsOptions().listInternal(false)).names().get(10, TimeUnit.SECONDS);
      List<NewTopic> missing = new ArrayList<>();
      for (String spec : specs) {
        String[] parts = spec.split(":");
        String name = parts[0];
        int partitions = parts.length > 1 ? Integer.parseInt(parts[1]) : 1;
        if (!existing.contains(name)) {
          missing.add(new NewTopic(name, partitions, (short) 1));
        }
      }
      if (!missing.isEmpty()) {
        CreateTopicsResult result = admin.createTopics(missing);
        for (Map.Entry<String, org.apache.kafka.common.KafkaFuture<Void>> e :
            result.values().entrySet()) {
          try {
            e.getValue().get(30, TimeUnit.SECONDS);
          } catch (ExecutionException ex) {
            if (!(ex.getCause() instanceof TopicExistsException)) {
              System.err.println("could not create topic " + e.getKey() + ": " + rootMessage(ex));
              return 1;
            }
          }
        }
      }

      // 3. check: the created topics reach the broker's metadata after the controller has them, so a listing
      // right after the create can still lack them (seen on a loaded box: all 24 absent); polled, bounded
      List<String> absent = absentTopics(admin, specs);
      Instant checkUntil = Instant.now().plusSeconds(30);
      while (!absent.isEmpty() && Instant.now().isBefore(checkUntil)) {
        Thread.sleep(250);
        absent = absentTopics(admin, specs);
      }
      if (!absent.isEmpty()) {
        System.err.println("topics still missing after create: " + absent);
        return 1;
      }
      System.out.println(
          "topics ok: " + specs.size() + " present, " + missing.size() + " created");
      return 0;
    }
  }

  private static List<String> absentTopics(Admin admin, List<String> specs) throws Exception {
    Set<String> now = admin.listTopics().names().get(10, TimeUnit.SECONDS);
    List<String> absent = new ArrayList<>();
    for (String spec : specs) {
      String name = spec.split(":")[0];
      if (!now.contains(name)) {
        absent.add(name);
      }
    }
    return absent;
  }

  private static final String OFFSETS_HEADER = "# group\ttopic\tpartition\toffset";

  private static int offsetsExport(String bootstrap, Path file) throws Exception {
    try (Admin admin = admin(bootstrap, 30)) {
      // every group with committed offsets: classic, consumer and simple (assign + commit) groups; share groups
      // keep no committed offsets
      Collection<GroupListing> groups = admin.listGroups().all().get(30, TimeUnit.SECONDS);
      TreeSet<String> ids = new TreeSet<>();
      for (GroupListing g : groups) {
        if (g.type().map(t -> t != GroupType.SHARE).orElse(true)) {
          ids.add(g.groupId());
        }
      }
      int lines = 0;
      Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
      try (BufferedWriter w = Files.newBufferedWriter(tmp)) {
        w.write(OFFSETS_HEADER);
        w.newLine();
        for (String group : ids) {
          Map<TopicPartition, OffsetAndMetadata> offsets =
              admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS);
          TreeMap<String, Long> sorted = new TreeMap<>();
          for (Map.Entry<TopicPartition, OffsetAndMetadata> e : offsets.entrySet()) {
            if (e.getValue() != null) {
              sorted.put(e.getKey().topic() + "\t" + e.getKey().partition(), e.getValue().offset());
            }
          }
          for (Map.Entry<String, Long> e : sorted.entrySet()) {
            w.write(group + "\t" + e.getKey() + "\t" + e.getValue());
            w.newLine();
            lines++;
          }
        }
      }
      Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      System.out.println("kafka: " + ids.size() + " consumer group(s), " + lines + " committed offset(s)");
      return 0;
    } catch (Exception e) {
      System.err.println("kafka: could not read the consumer group offsets: " + rootMessage(e));
      return 1;
    }
  }

  private static int offsetsImport(String bootstrap, Path file) throws Exception {
    Map<String, Map<TopicPartition, Long>> wanted = new LinkedHashMap<>();
    int lineNo = 0;
    for (String line : Files.readAllLines(file)) {
      lineNo++;
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      String[] f = line.split("\t");
      if (f.length != 4) {
        System.err.println(file + ":" + lineNo + ": expected group, topic, partition, offset separated by tabs");
        return 2;
      }
      try {
        wanted.computeIfAbsent(f[0], k -> new LinkedHashMap<>())
            .put(new TopicPartition(f[1], Integer.parseInt(f[2])), Long.parseLong(f[3]));
      } catch (NumberFormatException e) {
        System.err.println(file + ":" + lineNo + ": partition and offset must be numbers");
        return 2;
      }
    }
    try (Admin admin = admin(bootstrap, 30)) {
      Map<TopicPartition, OffsetSpec> specs = new HashMap<>();
      wanted.values().forEach(m -> m.keySet().forEach(tp -> specs.put(tp, OffsetSpec.latest())));
      Map<TopicPartition, Long> ends = new HashMap<>();
      Set<String> topics = admin.listTopics().names().get(30, TimeUnit.SECONDS);
      Map<TopicPartition, OffsetSpec> present = new HashMap<>();
      specs.forEach((tp, spec) -> {
        if (topics.contains(tp.topic())) {
          present.put(tp, spec);
        }
      });
      if (!present.isEmpty()) {
        for (Map.Entry<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> e :
            admin.listOffsets(present).all().get(30, TimeUnit.SECONDS).entrySet()) {
          ends.put(e.getKey(), e.getValue().offset());
        }
      }
      int committed = 0;
      int lowered = 0;
      int skipped = 0;
      List<String> failed = new ArrayList<>();
      for (Map.Entry<String, Map<TopicPartition, Long>> g : wanted.entrySet()) {
        Map<TopicPartition, OffsetAndMetadata> commit = new HashMap<>();
        for (Map.Entry<TopicPartition, Long> e : g.getValue().entrySet()) {
          Long end = ends.get(e.getKey());
          if (end == null) {
            System.out.println("kafka: " + g.getKey() + ": topic partition " + e.getKey() + " does not exist; skipped");
            skipped++;
            continue;
          }
          long offset = e.getValue();
          if (offset > end) {
            System.out.println("kafka: " + g.getKey() + ": " + e.getKey() + " offset " + offset
                + " is beyond the partition's end " + end + " (its records are not in this Kafka); set to " + end);
            offset = end;
            lowered++;
          }
          commit.put(e.getKey(), new OffsetAndMetadata(offset));
        }
        if (commit.isEmpty()) {
          continue;
        }
        try {
          admin.alterConsumerGroupOffsets(g.getKey(), commit).all().get(30, TimeUnit.SECONDS);
          committed += commit.size();
        } catch (ExecutionException e) {
          failed.add(g.getKey() + " (" + rootMessage(e)
              + "; a group's offsets can only be set while it has no active member: stop its consumers)");
        }
      }
      if (!failed.isEmpty()) {
        System.err.println("kafka: could not set the offsets of: " + String.join(", ", failed));
        return 1;
      }
      System.out.println("kafka: " + wanted.size() + " consumer group(s), " + committed + " offset(s) committed"
          + (lowered > 0 ? ", " + lowered + " lowered to the partition end" : "")
          + (skipped > 0 ? ", " + skipped + " skipped (no such partition)" : ""));
      return 0;
    }
  }

  private static String rootMessage(Throwable t) {
    Throwable c = t;
    while (c.getCause() != null && c.getCause() != c) {
      c = c.getCause();
    }
    return c.getClass().getSimpleName() + ": " + c.getMessage();
  }
}
