package dev.devloop.deploy.mongo;

import de.bwaldvogel.mongo.MongoCollection;
import de.bwaldvogel.mongo.MongoDatabase;
import de.bwaldvogel.mongo.backend.CollectionOptions;
import de.bwaldvogel.mongo.backend.CursorRegistry;
import de.bwaldvogel.mongo.backend.EmptyIndex;
import de.bwaldvogel.mongo.backend.Index;
import de.bwaldvogel.mongo.backend.IndexKey;
import de.bwaldvogel.mongo.backend.KeyValue;
import de.bwaldvogel.mongo.backend.QueryResult;
import de.bwaldvogel.mongo.backend.h2.H2Backend;
import de.bwaldvogel.mongo.backend.h2.H2Collection;
import de.bwaldvogel.mongo.backend.h2.H2Database;
import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.wire.message.MongoQuery;
import io.netty.channel.Channel;
import java.util.List;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;
import org.h2.mvstore.MVStore.TxCounter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The H2 backend, with three differences: a filter that constrains {@code _id} among other fields reads its candidates
 * through the {@code _id} index and matches the whole filter against them alone; the index maps order their keys
 * with {@link IndexKeyType} (H2's order, without a Java serialization per key comparison); and opening a collection
 * with a secondary index no longer reads every document ({@link UnmaintainedIndex}).
 *
 * <p>mongo-java-server uses an index only when a filter's fields are exactly the index's fields, so {@code {_id,
 * tenant, owner}} — the services' fenced writes and tenant-scoped reads — scanned the whole collection (~1.5 µs a
 * document, 95 % of the stand-in's CPU on agent-service's step writes; docs/scaling.md, stop 32). MongoDB itself
 * answers such a filter from the {@code _id} index. The stored layout (MVStore map names, key order, key and value
 * encoding) is H2Database's own, so existing data files open unchanged and the plain backend opens ours.
 *
 * <p>Every request also pins the MVStore version it reads ({@link MVStore#registerVersionUsage}), as H2's own
 * TransactionStore does for SQL: the plain backend reads maps unregistered, so the background writer could free a
 * chunk (dead in the newest versions: rewritten by compaction, or emptied by a collection or database drop) that a
 * running query or write still walks, and reuse its space — "Chunk N not found", "Unable to read the page", a store
 * that no longer opens (docs/verification.md, stop 36; repro/run.sh).
 */
final class IdFirstH2Backend extends H2Backend {

  private static final Logger LOG = LoggerFactory.getLogger(IdFirstH2Backend.class);

  // H2Database's map-name prefixes (package-private there): the data file's layout
  private static final String DATABASES_PREFIX = "databases.";
  private static final String META_PREFIX = "meta.";

  IdFirstH2Backend(String fileName) {
    super(MVStore.open(fileName));
  }

  /** H2Database's name of an index's map (private there): part of the data file's layout. */
  static String indexMapName(String fullCollectionName, String indexName) {
    return fullCollectionName + "._index_" + indexName;
  }

  /** Every command (OP_MSG requests come through here too): its reads and writes pin their MVStore version. */
  @Override
  public Document handleCommand(Channel channel, String databaseName, String command, Document query) {
    TxCounter version = getMvStore().registerVersionUsage();
    try {
      return super.handleCommand(channel, databaseName, command, query);
    } finally {
      getMvStore().deregisterVersionUsage(version);
    }
  }

  /** A legacy OP_QUERY (the results are collected before it returns): pins its MVStore version. */
  @Override
  public QueryResult handleQuery(MongoQuery query) {
    TxCounter version = getMvStore().registerVersionUsage();
    try {
      return super.handleQuery(query);
    } finally {
      getMvStore().deregisterVersionUsage(version);
    }
  }

  @Override
  protected MongoDatabase openOrCreateDatabase(String databaseName) {
    return new IdFirstDatabase(databaseName);
  }

  /** Inner, not static: H2Database opens its collections from its constructor, before a field of ours is set. */
  private final class IdFirstDatabase extends H2Database {
    IdFirstDatabase(String name) {
      super(name, getMvStore(), getCursorRegistry());
    }

    /**
     * Opens the index's map with {@link IndexKeyType} first; H2Database's own {@code openMap(name)} then gets that
     * open map (MVStore keeps one instance per map), so the index is H2UniqueIndex as before, on the same map name.
     */
    @Override
    protected Index<Object> openOrCreateUniqueIndex(
        String collectionName, String indexName, List<IndexKey> keys, boolean sparse) {
      getMvStore()
          .openMap(
              indexMapName(getFullCollectionNamespace(collectionName), indexName),
              new MVMap.Builder<KeyValue, Object>().keyType(new IndexKeyType()));
      return super.openOrCreateUniqueIndex(collectionName, indexName, keys, sparse);
    }

    @Override
    protected Index<Object> openOrCreateSecondaryIndex(
        String collectionName, String indexName, List<IndexKey> keys, boolean sparse) {
      LOG.warn(
          "secondary index {} on {} {} is not kept (mongo-java-server has none): queries on it scan the collection",
          indexName,
          getFullCollectionNamespace(collectionName),
          keys);
      return new UnmaintainedIndex(indexName, keys);
    }

    @Override
    protected MongoCollection<Object> openOrCreateCollection(
        String collectionName, CollectionOptions options) {
      String fullName = getFullCollectionNamespace(collectionName);
      MVStore store = getMvStore();
      MVMap<Object, Document> dataMap = store.openMap(DATABASES_PREFIX + fullName);
      MVMap<String, Object> metaMap = store.openMap(META_PREFIX + fullName);
      return new IdFirstCollection(this, collectionName, options, dataMap, metaMap, cursorRegistry);
    }
  }

  /**
   * mongo-java-server keeps no secondary index (an {@link EmptyIndex}: never used by a query, nothing recorded), but
   * {@code addIndex} fills an index that reports itself empty by reading every document of the collection twice — at
   * every open of the database, for each secondary index. The usage ledger's collections (indexes on tenant and time)
   * made a start read millions of documents: 97 s for one database after a day of benches, past the readiness wait
   * (docs/verification.md, stop 37). This index records nothing either, and says it is not empty, so nothing is read.
   */
  static final class UnmaintainedIndex extends EmptyIndex<Object> {
    UnmaintainedIndex(String name, List<IndexKey> keys) {
      super(name, keys);
    }

    @Override
    public boolean isEmpty() {
      return false; // read only by addIndex, to decide whether to fill the index from every document
    }
  }

  static final class IdFirstCollection extends H2Collection {
    IdFirstCollection(
        MongoDatabase database,
        String name,
        CollectionOptions options,
        MVMap<Object, Document> dataMap,
        MVMap<String, Object> metaMap,
        CursorRegistry cursors) {
      super(database, name, options, dataMap, metaMap, cursors);
    }

    @Override
    protected QueryResult queryDocuments(
        Document query,
        Document orderBy,
        int numberToSkip,
        int limit,
        int batchSize,
        Document fieldSelector) {
      Document byId = idEquality(query);
      if (byId != null && !byId.equals(query)) { // a filter of {_id} alone takes the index already
        for (Index<Object> index : getIndexes()) {
          if (index.canHandle(byId)) {
            return matchDocuments(
                query,
                index.getPositions(byId),
                orderBy,
                numberToSkip,
                limit,
                batchSize,
                fieldSelector);
          }
        }
      }
      return super.queryDocuments(query, orderBy, numberToSkip, limit, batchSize, fieldSelector);
    }

    /**
     * {@code {_id: v}} when the filter, or one clause of its {@code $and} (nested {@code $and}s included: the
     * driver renders {@code and(and(_id, tenant), owner, steps.N)} so, the services' fenced step writes), constrains
     * {@code _id}; else null. Every match satisfies that clause, so the index's candidates for it hold every match
     * ({@code canHandle} refuses the operators it cannot answer, and the whole filter is then matched against each
     * candidate).
     */
    static Document idEquality(Document query) {
      if (query.containsKey("_id")) {
        return new Document("_id", query.get("_id"));
      }
      if (query.get("$and") instanceof List<?> clauses) {
        for (Object clause : clauses) {
          if (clause instanceof Document d) {
            Document byId = idEquality(d); // a nested $and: the driver's and(and(_id, tenant), owner, ...)
            if (byId != null) {
              return byId;
            }
          }
        }
      }
      return null;
    }
  }
}
