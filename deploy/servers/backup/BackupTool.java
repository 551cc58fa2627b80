import com.mongodb.ConnectionString;
import com.mongodb.MongoClientSettings;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoCursor;
import com.mongodb.client.MongoDatabase;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.bson.Document;
import org.bson.json.JsonMode;
import org.bson.json.JsonWriterSettings;

/**
 * The Java half of {@code deploy/devloop backup|restore} (deploy/lib/backup.sh): MongoDB through the wire
 * protocol (mongo-java-server has no mongodump) and the backup's {@code manifest.json}.
 *
 * <pre>
 * BackupTool mongo-dump    &lt;uri&gt; &lt;dir&gt; &lt;dbPrefix&gt;   every &lt;dbPrefix&gt;devloop_* database to dir/&lt;db&gt;/&lt;coll&gt;.jsonl
 *                                                  (canonical Extended JSON, one document a line) + .indexes.jsonl
 * BackupTool mongo-restore &lt;uri&gt; &lt;dir&gt; &lt;dbPrefix&gt;   drop every &lt;dbPrefix&gt;devloop_* database, load the dump
 * BackupTool mongo-version &lt;uri&gt;                     the server's buildInfo version
 * BackupTool mongo-migrations &lt;uri&gt; &lt;dbPrefix&gt;      migration records the databases hold (devloop_migrations)
 * BackupTool manifest-write  &lt;backupDir&gt; key=value... manifest.json: versions, migrations, sha256 of every file
 * BackupTool manifest-verify &lt;backupDir&gt; key=value... exit 0 ok, 2 does not verify, 3 newer than the code
 * BackupTool manifest-get    &lt;backupDir&gt; &lt;dotted.key&gt; print one value (lists comma-separated)
 * </pre>
 *
 * Every size is bounded: a line of the dump is one document (MongoDB caps documents at 16 MiB); inserts go in
 * batches of at most 500 documents or 8 MiB.
 */
public final class BackupTool {

  /** The manifest format this code writes and reads; a newer one is refused. */
  static final int FORMAT = 1;

  static final int EXIT_USAGE = 64;
  static final int EXIT_INVALID = 2;
  static final int EXIT_NEWER = 3;

  private static final int BATCH_DOCS = 500;
  private static final long BATCH_BYTES = 8L * 1024 * 1024;
  private static final JsonWriterSettings CANONICAL =
      JsonWriterSettings.builder().outputMode(JsonMode.EXTENDED).build();
  private static final JsonWriterSettings PRETTY =
      JsonWriterSettings.builder().outputMode(JsonMode.RELAXED).indent(true).build();

  private BackupTool() {}

  public static void main(String[] args) throws Exception {
    if (args.length < 2) {
      usage();
    }
    int rc =
        switch (args[0]) {
          case "mongo-dump" -> args.length == 4 ? mongoDump(args[1], Path.of(args[2]), args[3]) : usage();
          case "mongo-restore" ->
              args.length == 4 ? mongoRestore(args[1], Path.of(args[2]), args[3]) : usage();
          case "mongo-version" -> mongoVersion(args[1]);
          case "mongo-migrations" -> args.length == 3 ? mongoMigrations(args[1], args[2]) : usage();
          case "manifest-write" -> manifestWrite(Path.of(args[1]), pairs(args, 2));
          case "manifest-verify" -> manifestVerify(Path.of(args[1]), pairs(args, 2));
          case "manifest-get" -> args.length == 3 ? manifestGet(Path.of(args[1]), args[2]) : usage();
          default -> usage();
        };
    System.exit(rc);
  }

  private static int usage() {
    System.err.println(
        "usage: BackupTool mongo-dump|mongo-restore <uri> <dir> <dbPrefix> | mongo-version <uri> |"
            + " mongo-migrations <uri> <dbPrefix> | manifest-write|manifest-verify <backupDir> key=value... |"
            + " manifest-get <backupDir> <key>");
    System.exit(EXIT_USAGE);
    return EXIT_USAGE;
  }

  private static Map<String, String> pairs(String[] args, int from) {
    Map<String, String> m = new LinkedHashMap<>();
    for (int i = from; i < args.length; i++) {
      int eq = args[i].indexOf('=');
      if (eq <= 0) {
        System.err.println("not key=value: " + args[i]);
        System.exit(EXIT_USAGE);
      }
      m.put(args[i].substring(0, eq), args[i].substring(eq + 1));
    }
    return m;
  }

  // ------------------------------------------------------------------------------------------------
  // MongoDB

  private static MongoClient client(String uri) {
    MongoClientSettings settings =
        MongoClientSettings.builder()
            .applyConnectionString(new ConnectionString(uri))
            .applyToClusterSettings(b -> b.serverSelectionTimeout(10, TimeUnit.SECONDS))
            .applyToSocketSettings(
                b -> b.connectTimeout(10, TimeUnit.SECONDS).readTimeout(120, TimeUnit.SECONDS))
            .build();
    return MongoClients.create(settings);
  }

  private static List<String> devloopDatabases(MongoClient client, String prefix) {
    List<String> names = new ArrayList<>();
    for (String name : client.listDatabaseNames()) {
      if (name.startsWith(prefix + "devloop_")) {
        names.add(name);
      }
    }
    names.sort(null);
    return names;
  }

  private static int mongoVersion(String uri) {
    try (MongoClient client = client(uri)) {
      Document info = client.getDatabase("admin").runCommand(new Document("buildInfo", 1));
      System.out.println(info.getString("version"));
      return 0;
    }
  }

  /** The versions store-migrations recorded in each database's {@code devloop_migrations} collection. */
  private static int mongoMigrations(String uri, String prefix) {
    try (MongoClient client = client(uri)) {
      List<String> ids = new ArrayList<>();
      for (String db : devloopDatabases(client, prefix)) {
        MongoDatabase d = client.getDatabase(db);
        for (String coll : d.listCollectionNames()) {
          if (!coll.equals("devloop_migrations")) {
            continue;
          }
          // the services' versioned migrations (store-migrations' MongoMigrations): one record per applied
          // version, {_id: "V001", version: 1, ...}; the lock document has no version
          for (Document entry : d.getCollection(coll).find().limit(10_000)) {
            if (entry.get("version") instanceof Number) {
              ids.add(db + ":" + entry.get("_id"));
            }
          }
        }
      }
      System.out.println(String.join(",", new TreeSet<>(ids)));
      return 0;
    }
  }

  private static int mongoDump(String uri, Path dir, String prefix) throws IOException {
    Files.createDirectories(dir);
    long docs = 0;
    int collections = 0;
    List<String> dbs;
    try (MongoClient client = client(uri)) {
      dbs = devloopDatabases(client, prefix);
      for (String db : dbs) {
        MongoDatabase d = client.getDatabase(db);
        Path dbDir = dir.resolve(db);
        Files.createDirectories(dbDir);
        List<String> colls = new ArrayList<>();
        d.listCollectionNames().into(colls);
        colls.sort(null);
        for (String coll : colls) {
          if (coll.startsWith("system.")) {
            continue;
          }
          MongoCollection<Document> c = d.getCollection(coll);
          try (BufferedWriter w = Files.newBufferedWriter(dbDir.resolve(coll + ".jsonl"));
              MongoCursor<Document> cursor = c.find().sort(new Document("_id", 1)).iterator()) {
            while (cursor.hasNext()) {
              w.write(cursor.next().toJson(CANONICAL));
              w.newLine();
              docs++;
            }
          }
          try (BufferedWriter w = Files.newBufferedWriter(dbDir.resolve(coll + ".indexes.jsonl"))) {
            for (Document index : c.listIndexes()) {
              w.write(index.toJson(CANONICAL));
              w.newLine();
            }
          }
          collections++;
        }
      }
    }
    System.out.println(
        "mongo: " + dbs.size() + " database(s) " + dbs + ", " + collections + " collection(s), " + docs
            + " document(s)");
    return 0;
  }

  private static int mongoRestore(String uri, Path dir, String prefix) throws IOException {
    if (!Files.isDirectory(dir)) {
      System.err.println("no MongoDB dump at " + dir);
      return EXIT_INVALID;
    }
    List<Path> dbDirs;
    try (Stream<Path> s = Files.list(dir)) {
      dbDirs = s.filter(Files::isDirectory).sorted().toList();
    }
    for (Path p : dbDirs) {
      if (!p.getFileName().toString().startsWith(prefix + "devloop_")) {
        System.err.println(
            "the dump holds database " + p.getFileName() + ", which is not a " + prefix
                + "devloop_* database (DEVLOOP_DB_PREFIX differs from the backup's?)");
        return EXIT_INVALID;
      }
    }
    long docs = 0;
    int collections = 0;
    try (MongoClient client = client(uri)) {
      for (String db : devloopDatabases(client, prefix)) {
        client.getDatabase(db).drop();
      }
      for (Path dbDir : dbDirs) {
        MongoDatabase d = client.getDatabase(dbDir.getFileName().toString());
        List<Path> files;
        try (Stream<Path> s = Files.list(dbDir)) {
          files =
              s.filter(f -> f.getFileName().toString().endsWith(".jsonl"))
                  .filter(f -> !f.getFileName().toString().endsWith(".indexes.jsonl"))
                  .sorted()
                  .toList();
        }
        for (Path data : files) {
          String name = data.getFileName().toString();
          String coll = name.substring(0, name.length() - ".jsonl".length());
          d.createCollection(coll);
          MongoCollection<Document> c = d.getCollection(coll);
          docs += insertAll(c, data);
          Path indexes = dbDir.resolve(coll + ".indexes.jsonl");
          if (Files.exists(indexes)) {
            createIndexes(d, coll, indexes);
          }
          collections++;
        }
      }
    }
    System.out.println(
        "mongo: restored " + dbDirs.size() + " database(s), " + collections + " collection(s), " + docs
            + " document(s)");
    return 0;
  }

  private static long insertAll(MongoCollection<Document> c, Path data) throws IOException {
    long n = 0;
    List<Document> batch = new ArrayList<>();
    long bytes = 0;
    try (BufferedReader r = Files.newBufferedReader(data)) {
      String line;
      while ((line = r.readLine()) != null) {
        if (line.isBlank()) {
          continue;
        }
        batch.add(Document.parse(line));
        bytes += line.length();
        if (batch.size() >= BATCH_DOCS || bytes >= BATCH_BYTES) {
          c.insertMany(batch);
          n += batch.size();
          batch.clear();
          bytes = 0;
        }
      }
    }
    if (!batch.isEmpty()) {
      c.insertMany(batch);
      n += batch.size();
    }
    return n;
  }

  private static void createIndexes(MongoDatabase d, String coll, Path file) throws IOException {
    List<Document> specs = new ArrayList<>();
    for (String line : Files.readAllLines(file)) {
      if (line.isBlank()) {
        continue;
      }
      Document spec = Document.parse(line);
      if ("_id_".equals(spec.getString("name"))) {
        continue;
      }
      spec.remove("v");
      spec.remove("ns");
      specs.add(spec);
    }
    if (!specs.isEmpty()) {
      d.runCommand(new Document("createIndexes", coll).append("indexes", specs));
    }
  }

  // ------------------------------------------------------------------------------------------------
  // manifest.json

  static final String MANIFEST = "manifest.json";

  private static String sha256(Path file) throws IOException {
    MessageDigest md;
    try {
      md = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    byte[] buf = new byte[1 << 16];
    try (InputStream in = Files.newInputStream(file)) {
      int n;
      while ((n = in.read(buf)) > 0) {
        md.update(buf, 0, n);
      }
    }
    return HexFormat.of().formatHex(md.digest());
  }

  private static List<Path> payload(Path dir) throws IOException {
    try (Stream<Path> s = Files.walk(dir)) {
      return s.filter(Files::isRegularFile)
          .filter(p -> !dir.relativize(p).toString().equals(MANIFEST))
          // the CronJob's companion list for sha256sum -c, written after the manifest
          .filter(p -> !dir.relativize(p).toString().equals("SHA256SUMS"))
          .sorted()
          .toList();
    }
  }

  private static List<String> csv(String v) {
    List<String> out = new ArrayList<>();
    if (v == null || v.isBlank()) {
      return out;
    }
    for (String s : v.split(",")) {
      if (!s.isBlank()) {
        out.add(s.trim());
      }
    }
    return out;
  }

  /**
   * Keys: project.version, servers.&lt;name&gt;, migrations.&lt;store&gt; (comma-separated ids; empty = none yet),
   * store.&lt;name&gt; (a one-line summary), createdAt (optional, ISO-8601).
   */
  private static int manifestWrite(Path dir, Map<String, String> kv) throws IOException {
    Document servers = new Document();
    Document migrations = new Document();
    Document stores = new Document();
    String project = null;
    String createdAt = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
    for (Map.Entry<String, String> e : kv.entrySet()) {
      String k = e.getKey();
      if (k.equals("project.version")) {
        project = e.getValue();
      } else if (k.equals("createdAt")) {
        createdAt = e.getValue();
      } else if (k.startsWith("servers.")) {
        servers.append(k.substring(8), e.getValue());
      } else if (k.startsWith("migrations.")) {
        List<String> ids = csv(e.getValue());
        migrations.append(k.substring(11), ids.isEmpty() ? "none yet" : ids);
      } else if (k.startsWith("store.")) {
        stores.append(k.substring(6), e.getValue());
      } else {
        System.err.println("unknown manifest key " + k);
        return EXIT_USAGE;
      }
    }
    if (project == null) {
      System.err.println("project.version is required");
      return EXIT_USAGE;
    }
    List<Document> files = new ArrayList<>();
    for (Path p : payload(dir)) {
      files.add(
          new Document("path", dir.relativize(p).toString())
              .append("bytes", Files.size(p))
              .append("sha256", sha256(p)));
    }
    Document manifest =
        new Document("format", FORMAT)
            .append("kind", "devloop-backup")
            .append("createdAt", createdAt)
            .append("project", new Document("version", project))
            .append("servers", servers)
            .append("migrations", migrations)
            .append("stores", stores)
            .append("files", files);
    Files.writeString(dir.resolve(MANIFEST), manifest.toJson(PRETTY) + "\n", StandardCharsets.UTF_8);
    System.out.println("manifest: " + files.size() + " file(s) checksummed");
    return 0;
  }

  private static Document readManifest(Path dir) {
    Path f = dir.resolve(MANIFEST);
    if (!Files.isRegularFile(f)) {
      System.err.println("no " + MANIFEST + " in " + dir + ": not a Devloop backup, or an unfinished one");
      return null;
    }
    try {
      Document m = Document.parse(Files.readString(f, StandardCharsets.UTF_8));
      if (!"devloop-backup".equals(m.get("kind"))) {
        System.err.println(f + " is not a Devloop backup manifest (kind is not devloop-backup)");
        return null;
      }
      return m;
    } catch (IOException | RuntimeException e) {
      System.err.println(f + " cannot be read as JSON: " + e.getMessage());
      return null;
    }
  }

  /**
   * Checks every listed file (present, size, sha256), that no payload file is unlisted, and that the backup
   * is not newer than the code. Keys: code.project, code.&lt;server&gt; (versions the code runs; servers not
   * given are not compared); knownMigrations.&lt;store&gt; (comma-separated ids this code knows, or "*" to skip).
   */
  private static int manifestVerify(Path dir, Map<String, String> code) throws IOException {
    Document m = readManifest(dir);
    if (m == null) {
      return EXIT_INVALID;
    }
    List<String> problems = new ArrayList<>();
    Object format = m.get("format");
    if (!(format instanceof Number n) || n.intValue() < 1) {
      problems.add("manifest has no valid format number");
    }
    Object filesObj = m.get("files");
    if (!(filesObj instanceof List<?> files) || files.isEmpty()) {
      problems.add("manifest lists no files");
    } else {
      TreeSet<String> listed = new TreeSet<>();
      for (Object o : files) {
        if (!(o instanceof Document f)
            || !(f.get("path") instanceof String path)
            || !(f.get("sha256") instanceof String sum)) {
          problems.add("malformed file entry " + o);
          continue;
        }
        Path p = dir.resolve(path).normalize();
        if (!p.startsWith(dir.normalize()) || path.equals(MANIFEST)) {
          problems.add("file entry outside the backup: " + path);
          continue;
        }
        listed.add(path);
        if (!Files.isRegularFile(p)) {
          problems.add("missing file " + path);
          continue;
        }
        Object bytes = f.get("bytes");
        if (bytes instanceof Number b && b.longValue() != Files.size(p)) {
          problems.add("size mismatch " + path + ": manifest " + b + " bytes, file " + Files.size(p));
        } else if (!sha256(p).equalsIgnoreCase(sum)) {
          problems.add("checksum mismatch " + path + " (sha256 differs from the manifest)");
        }
      }
      for (Path p : payload(dir)) {
        String rel = dir.relativize(p).toString();
        if (!listed.contains(rel)) {
          problems.add("file not in the manifest: " + rel);
        }
      }
    }
    if (!problems.isEmpty()) {
      System.err.println("backup " + dir + " does not verify:");
      problems.forEach(p -> System.err.println("  - " + p));
      return EXIT_INVALID;
    }

    List<String> newer = new ArrayList<>();
    if (((Number) format).intValue() > FORMAT) {
      newer.add("manifest format " + format + " (this code reads format " + FORMAT + ")");
    }
    String project = m.get("project") instanceof Document p ? p.getString("version") : null;
    String codeProject = code.get("code.project");
    if (project == null) {
      System.err.println("backup " + dir + " does not verify: the manifest names no project version");
      return EXIT_INVALID;
    }
    if (codeProject != null && compareVersions(project, codeProject) > 0) {
      newer.add("project version " + project + " (this code is " + codeProject + ")");
    }
    Document servers = m.get("servers") instanceof Document s ? s : new Document();
    for (Map.Entry<String, String> e : code.entrySet()) {
      if (!e.getKey().startsWith("code.") || e.getKey().equals("code.project")) {
        continue;
      }
      String server = e.getKey().substring(5);
      Object backup = servers.get(server);
      if (backup instanceof String v && !v.isBlank() && compareVersions(v, e.getValue()) > 0) {
        newer.add(server + " " + v + " (this machine runs " + e.getValue() + "; its files cannot be loaded by an older one)");
      }
    }
    Document migrations = m.get("migrations") instanceof Document d ? d : new Document();
    for (Map.Entry<String, String> e : code.entrySet()) {
      if (!e.getKey().startsWith("knownMigrations.") || e.getValue().equals("*")) {
        continue;
      }
      String store = e.getKey().substring("knownMigrations.".length());
      TreeSet<String> known = new TreeSet<>(csv(e.getValue()));
      if (migrations.get(store) instanceof List<?> applied) {
        for (Object id : applied) {
          if (!known.contains(String.valueOf(id))) {
            newer.add(store + " migration " + id + " is recorded in the backup but unknown to this code");
          }
        }
      }
    }
    if (!newer.isEmpty()) {
      System.err.println("backup " + dir + " is newer than this code; restore it with the code that made it:");
      newer.forEach(p -> System.err.println("  - " + p));
      return EXIT_NEWER;
    }
    System.out.println(
        "manifest ok: " + ((List<?>) filesObj).size() + " file(s) verified (sha256), made "
            + m.get("createdAt") + " by project " + project);
    return 0;
  }

  private static int manifestGet(Path dir, String key) {
    Document m = readManifest(dir);
    if (m == null) {
      return EXIT_INVALID;
    }
    Object v = m;
    for (String part : key.split("\\.")) {
      if (!(v instanceof Document d)) {
        v = null;
        break;
      }
      v = d.get(part);
    }
    if (v instanceof List<?> l) {
      System.out.println(String.join(",", l.stream().map(String::valueOf).toList()));
    } else if (v != null) {
      System.out.println(v);
    }
    return 0;
  }

  /**
   * Compares dotted versions by their numeric parts ("5.26.30" &lt; "5.27.0"); a pre-release suffix
   * ("0.1.0-SNAPSHOT") sorts before its release. Non-numeric parts compare as text.
   */
  static int compareVersions(String a, String b) {
    String[] pa = a.trim().split("[-+]", 2);
    String[] pb = b.trim().split("[-+]", 2);
    String[] na = pa[0].split("\\.");
    String[] nb = pb[0].split("\\.");
    for (int i = 0; i < Math.max(na.length, nb.length); i++) {
      String x = i < na.length ? na[i] : "0";
      String y = i < nb.length ? nb[i] : "0";
      int c;
      try {
        c = Long.compare(Long.parseLong(x), Long.parseLong(y));
      } catch (NumberFormatException e) {
        c = x.compareTo(y);
      }
      if (c != 0) {
        return c;
      }
    }
    boolean preA = pa.length > 1;
    boolean preB = pb.length > 1;
    if (preA != preB) {
      return preA ? -1 : 1;
    }
    return preA ? pa[1].compareTo(pb[1]) : 0;
  }
}
