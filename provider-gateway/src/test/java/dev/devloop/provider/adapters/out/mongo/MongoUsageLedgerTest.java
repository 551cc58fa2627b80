package dev.devloop.provider.adapters.out.mongo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.mongodb.client.MongoClient;
import com.mongodb.client.model.Filters;
import dev.devloop.provider.domain.UsageRecord;
import dev.devloop.provider.support.CommonStubs;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.quarkus.mongodb.reactive.ReactiveMongoClient;
import io.quarkus.mongodb.reactive.ReactiveMongoCollection;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.bson.Document;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/** The ledger coalesces concurrent writes into batches (real MongoDB): every record lands exactly once. */
@QuarkusTest
@WithTestResource(CommonStubs.class)
class MongoUsageLedgerTest {
    @Inject
    MongoUsageLedger ledger;

    @Inject
    MongoClient mongo;

    @Inject
    ReactiveMongoClient reactiveMongo;

    @ConfigProperty(name = "devloop.provider.database")
    String database;

    @Test
    void aRecordFindingTheQueueAndTheLoneWritesFullIsCountedNotKept() {
        String tenant = "t-" + UUID.randomUUID();
        Counter dropped = new SimpleMeterRegistry().counter(MongoUsageLedger.DROPPED);
        MongoUsageLedger full = new MongoUsageLedger(collection(), 0, 0, dropped);
        for (int i = 0; i < 5; i++) {
            full.record(record(i + "-" + tenant, tenant));
        }
        assertThat(dropped.count()).isEqualTo(5.0);
        assertThat(stored(tenant)).isZero();
    }

    @Test
    void aLoneWriteFreesItsSlotWhenTheStoreAnswers() throws InterruptedException {
        String tenant = "t-" + UUID.randomUUID();
        Counter dropped = new SimpleMeterRegistry().counter(MongoUsageLedger.DROPPED);
        MongoUsageLedger oneAtATime = new MongoUsageLedger(collection(), 0, 1, dropped);
        for (int i = 0; i < 3; i++) {
            oneAtATime.record(record(i + "-" + tenant, tenant));
            assertThat(oneAtATime.loneWritesInFlight()).isLessThanOrEqualTo(1);
            // the slot is freed when the store answers, whether it stored the record or failed (a loaded box)
            for (int wait = 0; wait < 120 && oneAtATime.loneWritesInFlight() > 0; wait++) { // bounded: 30 s
                Thread.sleep(250);
            }
            assertThat(oneAtATime.loneWritesInFlight()).isZero();
        }
        assertThat(dropped.count()).isZero();
    }

    @Test
    void onlyTheScratchLedgerIsEmptiedAndItEmptiesOnlyItsOwnCollection() {
        String tenant = "t-" + UUID.randomUUID();
        assertThatThrownBy(() -> ledger.emptyScratch(Duration.ofSeconds(1)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("usage");
        MongoUsageLedger real = new MongoUsageLedger(collection(), 10, 1, new SimpleMeterRegistry().counter("d"));
        MongoUsageLedger scratch = MongoUsageLedger.scratch(reactiveMongo, database);
        real.record(record("real-" + tenant, tenant));
        for (int i = 0; i < 20; i++) {
            scratch.record(record(i + "-scratch-" + tenant, tenant));
        }
        scratch.emptyScratch(Duration.ofSeconds(30)); // waits for its own queued writes before deleting
        assertThat(mongo.getDatabase(database)
                        .getCollection(MongoUsageLedger.SCRATCH_COLLECTION)
                        .countDocuments(Filters.eq("tenant", tenant)))
                .isZero();
        for (int wait = 0; wait < 120 && stored(tenant) == 0; wait++) { // bounded: the real ledger's write lands
            sleep(250);
        }
        assertThat(stored(tenant)).isEqualTo(1);
    }

    @Test
    void recordsAreWrittenByTheLedgersOwnThreadNotByTheCallingOne() {
        String tenant = "t-" + UUID.randomUUID();
        Set<String> writers = java.util.concurrent.ConcurrentHashMap.newKeySet();
        MongoUsageLedger ledger =
                new MongoUsageLedger(watched(collection(), writers), 100, 1, new SimpleMeterRegistry().counter("d"));
        for (int i = 0; i < 3; i++) {
            ledger.record(record(i + "-" + tenant, tenant));
        }
        for (int wait = 0; wait < 120 && stored(tenant) < 3; wait++) { // bounded: 30 s
            sleep(250);
        }
        assertThat(stored(tenant)).isEqualTo(3);
        // the caller (an event loop, in the gateway) only queued them: the writes started on the ledger's thread
        assertThat(writers).containsExactly("usage-ledger");
        ledger.flush();
    }

    @Test
    void aCleanShutdownWritesWhatIsQueuedAndWhatIsInFlight() {
        String tenant = "t-" + UUID.randomUUID();
        MongoUsageLedger ledger = new MongoUsageLedger(collection(), 1_000, 1, new SimpleMeterRegistry().counter("d"));
        for (int i = 0; i < 600; i++) { // more than one batch: the ledger's thread may have started a write already
            ledger.record(record(i + "-" + tenant, tenant));
        }
        ledger.flush();
        assertThat(stored(tenant)).isEqualTo(600);
    }

    /** {@code real}, with the names of the threads that start its inserts added to {@code writers}. */
    @SuppressWarnings("unchecked")
    private static ReactiveMongoCollection<Document> watched(
            ReactiveMongoCollection<Document> real, Set<String> writers) {
        return (ReactiveMongoCollection<Document>) java.lang.reflect.Proxy.newProxyInstance(
                MongoUsageLedgerTest.class.getClassLoader(),
                new Class<?>[] {ReactiveMongoCollection.class},
                (proxy, method, args) -> {
                    if (method.getName().startsWith("insert")) {
                        writers.add(Thread.currentThread().getName());
                    }
                    try {
                        return method.invoke(real, args);
                    } catch (java.lang.reflect.InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private ReactiveMongoCollection<Document> collection() {
        return reactiveMongo.getDatabase(database).getCollection(MongoUsageLedger.COLLECTION);
    }

    private long stored(String tenant) {
        return mongo.getDatabase(database).getCollection("usage").countDocuments(Filters.eq("tenant", tenant));
    }

    private static UsageRecord record(String id, String tenant) {
        return new UsageRecord(
                id, tenant, "a", "openai", "gpt-4o-mini", 12, 1, 13, false, false, "stop", 3, Instant.now(), 0.0001);
    }

    @Test
    void concurrentRecordsAreAllWrittenOnce() throws InterruptedException {
        String tenant = "t-" + UUID.randomUUID();
        int threads = 4;
        int each = 300;
        List<Thread> writers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int thread = t;
            Thread writer = new Thread(() -> {
                for (int i = 0; i < each; i++) {
                    ledger.record(new UsageRecord(
                            thread + "-" + i + "-" + tenant,
                            tenant,
                            "a",
                            "openai",
                            "gpt-4o-mini",
                            12,
                            1,
                            13,
                            false,
                            false,
                            "stop",
                            3,
                            Instant.now(),
                            0.0001));
                }
            });
            writer.start();
            writers.add(writer);
        }
        for (Thread w : writers) {
            w.join(30_000);
        }
        long count = 0;
        for (int i = 0; i < 120 && count < threads * each; i++) { // bounded: 30 s
            count = mongo.getDatabase(database).getCollection("usage").countDocuments(Filters.eq("tenant", tenant));
            if (count < threads * each) {
                Thread.sleep(250);
            }
        }
        assertThat(count).isEqualTo(threads * each);
        Set<String> ids = new HashSet<>();
        for (Document d : mongo.getDatabase(database).getCollection("usage").find(Filters.eq("tenant", tenant))) {
            ids.add(d.getString("_id"));
            assertThat(d.getString("model")).isEqualTo("gpt-4o-mini");
        }
        assertThat(ids).hasSize(threads * each);
    }
}
