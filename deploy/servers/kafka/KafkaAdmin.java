import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.CreateTopicsResult;
import org.apache.kafka.clients.admin.DescribeClusterResult;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import org.apache.kafka.clients.admin.NewTopic;
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
 * </pre>
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
      default -> usage();
    }
  }

  private static void usage() {
    System.err.println(
        "usage: KafkaAdmin <bootstrap> ping [timeoutSeconds] | "
            + "KafkaAdmin <bootstrap> ensure-topics <timeoutSeconds> name:partitions ...");
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
    return Admin.create(p);
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

      // 3. check
      Set<String> now = admin.listTopics().names().get(10, TimeUnit.SECONDS);
      List<String> absent = new ArrayList<>();
      for (String spec : specs) {
        String name = spec.split(":")[0];
        if (!now.contains(name)) {
          absent.add(name);
        }
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

  private static String rootMessage(Throwable t) {
    Throwable c = t;
    while (c.getCause() != null && c.getCause() != c) {
      c = c.getCause();
    }
    return c.getClass().getSimpleName() + ": " + c.getMessage();
  }
}
