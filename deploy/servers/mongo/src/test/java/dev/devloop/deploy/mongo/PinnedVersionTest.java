package dev.devloop.deploy.mongo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import de.bwaldvogel.mongo.bson.Document;
import io.netty.channel.Channel;
import java.lang.reflect.Proxy;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A request pins the MVStore version it reads: while it runs, the store keeps every version from the request's on,
 * however many the background writer commits meanwhile, so no chunk the request may still walk is freed and
 * overwritten (docs/verification.md stop 36: "Chunk N not found", "Unable to read the page" after collection drops).
 */
class PinnedVersionTest {

  @TempDir Path dir;

  @Test
  void theStoreKeepsARequestsVersionUntilTheRequestEnds() {
    IdFirstH2Backend backend = new IdFirstH2Backend(dir.resolve("pinned.mv.db").toString());
    MVStore store = backend.getMvStore();
    try {
      MVMap<Integer, String> churn = store.openMap("test.churn");
      AtomicLong oldestKept = new AtomicLong(-1);
      store.setOldestVersionTracker(oldestKept::set);
      long[] during = new long[2];
      // "whatsmyuri" asks the channel for its address in the middle of the request: commit versions there
      Channel channel =
          channel(
              () -> {
                during[0] = store.getCurrentVersion();
                commitVersions(store, churn, 12); // more than the 5 versions MVStore keeps on its own
                during[1] = oldestKept.get();
              });

      Document reply = backend.handleCommand(channel, "devloop", "whatsmyuri", new Document("whatsmyuri", 1));

      assertEquals("127.0.0.1:27117", reply.get("you"));
      assertTrue(
          during[1] <= during[0],
          "while the request ran the store kept its version " + during[0] + " (oldest kept: " + during[1] + ")");
      commitVersions(store, churn, 12);
      assertTrue(oldestKept.get() > during[0], "after the request the version is released: " + oldestKept.get());
    } finally {
      backend.close();
    }
  }

  private static void commitVersions(MVStore store, MVMap<Integer, String> map, int versions) {
    for (int i = 0; i < versions; i++) {
      map.put(i, "v" + store.getCurrentVersion());
      store.commit();
    }
  }

  /** A channel whose remoteAddress() runs {@code inRequest} first. */
  private static Channel channel(Runnable inRequest) {
    return (Channel)
        Proxy.newProxyInstance(
            Channel.class.getClassLoader(),
            new Class<?>[] {Channel.class},
            (proxy, method, args) -> {
              switch (method.getName()) {
                case "remoteAddress":
                  inRequest.run();
                  return new InetSocketAddress("127.0.0.1", 27117);
                case "hashCode":
                  return System.identityHashCode(proxy);
                case "equals":
                  return proxy == args[0];
                case "toString":
                  return "test-channel";
                default:
                  throw new UnsupportedOperationException(method.getName());
              }
            });
  }
}
