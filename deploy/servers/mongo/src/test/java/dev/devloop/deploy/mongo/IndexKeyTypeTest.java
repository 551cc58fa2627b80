package dev.devloop.deploy.mongo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Updates;
import de.bwaldvogel.mongo.backend.KeyValue;
import de.bwaldvogel.mongo.backend.h2.H2Backend;
import de.bwaldvogel.mongo.bson.ObjectId;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import org.bson.Document;
import org.h2.mvstore.type.ObjectDataType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** IndexKeyType orders index keys exactly as H2's ObjectDataType does, so data files stay interchangeable. */
class IndexKeyTypeTest {

  private static final int DOCUMENTS = 150; // several B-tree pages per index (H2 splits at 48 keys)

  @TempDir Path dir;

  @Test
  void ordersEveryPairAsObjectDataTypeDoes() {
    Random random = new Random(34);
    List<KeyValue> keys = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      keys.add(new KeyValue(randomString(random)));
    }
    for (int i = 0; i < 40; i++) {
      keys.add(new KeyValue(new ObjectId()));
      byte[] bytes = new byte[12];
      random.nextBytes(bytes);
      keys.add(new KeyValue(new ObjectId(bytes)));
    }
    keys.add(new KeyValue("x".repeat(70_000))); // TC_LONGSTRING: left to H2
    keys.add(new KeyValue("y".repeat(65_534) + "\u00e9")); // 65 536 bytes: TC_LONGSTRING too
    keys.add(new KeyValue("z".repeat(65_535))); // 65 535 bytes: the longest short form
    keys.add(new KeyValue(42L));
    keys.add(new KeyValue("tenant", "name"));
    keys.add(new KeyValue(UUID.randomUUID().toString(), 7));

    ObjectDataType h2 = new ObjectDataType();
    IndexKeyType ours = new IndexKeyType();
    int pairs = 0;
    for (KeyValue a : keys) {
      for (KeyValue b : keys) {
        int expected = Integer.signum(h2.compare(a, b));
        assertEquals(expected, Integer.signum(ours.compare(a, b)), () -> a + " vs " + b);
        pairs++;
      }
    }
    assertEquals(keys.size() * keys.size(), pairs);
  }

  @Test
  void theIndexMapsUseIt() {
    String file = dir.resolve("keys.mv.db").toString();
    IdFirstH2BackendTest.withServer(new IdFirstH2Backend(file), runs -> runs.insertOne(new Document("_id", "r1")));
    // opening the backend opens every stored database and index; openMap(name) returns the open map
    IdFirstH2Backend reopened = new IdFirstH2Backend(file);
    try {
      Object keyType =
          reopened
              .getMvStore()
              .openMap(IdFirstH2Backend.indexMapName("devloop.runs", "_id_"))
              .getKeyType();
      assertInstanceOf(IndexKeyType.class, keyType);
    } finally {
      reopened.close();
    }
  }

  @Test
  void dataFilesOpenBothWaysAndFindEveryId() {
    String ours = dir.resolve("ours.mv.db").toString();
    String plain = dir.resolve("plain.mv.db").toString();
    List<Object> ids = ids();

    IdFirstH2BackendTest.withServer(new IdFirstH2Backend(ours), runs -> writeAll(runs, ids));
    IdFirstH2BackendTest.withServer(new H2Backend(plain), runs -> writeAll(runs, ids));

    // each backend reads the other's file: the same B-tree order on disk, every _id found by its index
    IdFirstH2BackendTest.withServer(new H2Backend(ours), runs -> assertFindsAll(runs, ids));
    IdFirstH2BackendTest.withServer(new IdFirstH2Backend(plain), runs -> assertFindsAll(runs, ids));
    // and writes to it: a duplicate _id is still refused (the unique check walks the same order)
    IdFirstH2BackendTest.withServer(
        new IdFirstH2Backend(plain),
        runs -> {
          int refused = 0;
          for (Object id : ids.subList(0, 30)) {
            try {
              runs.insertOne(new Document("_id", id));
            } catch (com.mongodb.MongoWriteException e) {
              refused++;
            }
          }
          assertEquals(30, refused);
        });
  }

  private static void writeAll(MongoCollection<Document> runs, List<Object> ids) {
    for (Object id : ids) {
      runs.insertOne(new Document("_id", id).append("steps", new ArrayList<String>()));
    }
    for (Object id : ids) {
      runs.updateOne(Filters.eq("_id", id), Updates.push("steps", "s1"));
    }
  }

  private static void assertFindsAll(MongoCollection<Document> runs, List<Object> ids) {
    int found = 0;
    for (Object id : ids) {
      Document d = runs.find(Filters.eq("_id", id)).first();
      assertTrue(d != null && List.of("s1").equals(d.getList("steps", String.class)), () -> "_id " + id);
      found++;
    }
    assertEquals(ids.size(), found);
    assertEquals(ids.size(), runs.countDocuments());
  }

  private static List<Object> ids() {
    Random random = new Random(16);
    List<Object> ids = new ArrayList<>();
    for (int i = 0; i < DOCUMENTS; i++) {
      ids.add(
          switch (i % 3) {
            case 0 -> UUID.randomUUID().toString();
            case 1 -> i + wireString(random);
            default -> new org.bson.types.ObjectId();
          });
    }
    return ids;
  }

  /** Lengths 0–40, ASCII, Latin-1, U+0000, surrogate halves and CJK: every modified-UTF-8 width. */
  private static String randomString(Random random) {
    char[] alphabet = {'a', 'Z', '0', '-', '\u0000', '\u007f', '\u0080', '\u00e9', '\u07ff', '\u0800', '\u4e2d',
      '\ud83d', '\ude00', '\uffff'};
    int length = random.nextInt(41);
    StringBuilder s = new StringBuilder();
    for (int i = 0; i < length; i++) {
      s.append(
          random.nextInt(3) == 0
              ? alphabet[random.nextInt(alphabet.length)]
              : (char) ('a' + random.nextInt(26)));
    }
    return s.toString();
  }

  /** What a driver sends unchanged (no lone surrogates): ASCII, Latin-1, CJK, a surrogate pair. */
  private static String wireString(Random random) {
    String[] parts = {"a", "Z", "-", "\u00e9", "\u07ff", "\u0800", "\u4e2d", "\ud83d\ude00", "\uffee"};
    StringBuilder s = new StringBuilder();
    for (int i = random.nextInt(30); i > 0; i--) {
      s.append(parts[random.nextInt(parts.length)]);
    }
    return s.toString();
  }
}
