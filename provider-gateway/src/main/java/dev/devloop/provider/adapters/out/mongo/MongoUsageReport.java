package dev.devloop.provider.adapters.out.mongo;

import com.mongodb.client.model.Accumulators;
import com.mongodb.client.model.Aggregates;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Sorts;
import dev.devloop.provider.config.ProviderConfig;
import dev.devloop.provider.domain.UsageReport;
import dev.devloop.provider.ports.out.UsageReportPort;
import io.quarkus.mongodb.reactive.ReactiveMongoClient;
import io.quarkus.mongodb.reactive.ReactiveMongoCollection;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import org.bson.Document;
import org.bson.conversions.Bson;

/**
 * Sums {@code devloop_providers.usage} with one aggregation per answer: {@code $match} on
 * {@code tenant} and the {@code at} range (the {@code tenant_at} index), {@code $group} by the key
 * (day via {@code $dateToString} in UTC), {@code $sort} by key and {@code $limit maxGroups + 1}
 * (the extra one only says "truncated"). The totals are the groups' sums when every group is in the answer, so one
 * answer never shows totals and groups read at different moments (the ledger writes up to ~50 ms after a call: a
 * second read could count a call the first did not); only when the groups are cut is a second {@code $group} over the
 * same match run for exact totals. Both stages exist in MongoDB and in mongo-java-server
 * (checked by {@code UsageQueryTest}). A group's cost is null when none of its calls had a price:
 * {@code priced} counts the calls whose {@code costUsd} is not null. Bounded by
 * {@code devloop.provider.usage.timeout}.
 */
@ApplicationScoped
public class MongoUsageReport implements UsageReportPort {
    private final ReactiveMongoCollection<Document> usage;
    private final Duration timeout;

    public MongoUsageReport(ReactiveMongoClient mongo, ProviderConfig config) {
        this.usage = mongo.getDatabase(config.database()).getCollection(MongoUsageLedger.COLLECTION);
        this.timeout = config.usage().timeout();
    }

    @Override
    public UsageReport report(UsageReport.Query q) {
        Bson match = Aggregates.match(Filters.and(
                Filters.eq("tenant", q.tenant()),
                Filters.gte("at", Date.from(q.from())),
                Filters.lt("at", Date.from(q.toExclusive()))));
        Object key = q.groupBy() == UsageReport.GroupBy.DAY
                ? new Document("$dateToString", new Document("format", "%Y-%m-%d").append("date", "$at"))
                : "$" + q.groupBy().field();
        List<Document> groups = usage.aggregate(List.of(
                        match,
                        group(key),
                        Aggregates.sort(Sorts.ascending("_id")),
                        Aggregates.limit(q.maxGroups() + 1)))
                .collect()
                .asList()
                .await()
                .atMost(timeout);
        List<UsageReport.Group> out = new ArrayList<>();
        for (Document g : groups.subList(0, Math.min(groups.size(), q.maxGroups()))) {
            Object id = g.get("_id");
            out.add(new UsageReport.Group(
                    id == null ? null : id.toString(),
                    number(g, "calls"),
                    number(g, "inputTokens"),
                    number(g, "outputTokens"),
                    cost(g)));
        }
        boolean truncated = groups.size() > q.maxGroups();
        return new UsageReport(truncated ? totals(match) : UsageReport.Totals.of(out), out, truncated);
    }

    /** The exact totals of every call {@code match} selects, for an answer whose groups were cut. */
    private UsageReport.Totals totals(Bson match) {
        List<Document> totals = usage.aggregate(List.of(match, group(null)))
                .collect()
                .asList()
                .await()
                .atMost(timeout);
        return totals.isEmpty()
                ? UsageReport.Totals.NONE
                : new UsageReport.Totals(
                        number(totals.get(0), "calls"),
                        number(totals.get(0), "inputTokens"),
                        number(totals.get(0), "outputTokens"),
                        cost(totals.get(0)));
    }

    private static Bson group(Object key) {
        Document priced = new Document(
                "$cond",
                List.of(
                        new Document(
                                "$eq",
                                java.util.Arrays.asList(
                                        new Document("$ifNull", java.util.Arrays.asList("$costUsd", null)), null)),
                        0,
                        1));
        return Aggregates.group(
                key,
                Accumulators.sum("calls", 1),
                Accumulators.sum("inputTokens", "$inputTokens"),
                Accumulators.sum("outputTokens", "$outputTokens"),
                Accumulators.sum("costUsd", "$costUsd"),
                Accumulators.sum("priced", priced));
    }

    private static long number(Document d, String field) {
        Object v = d.get(field);
        return v instanceof Number n ? n.longValue() : 0;
    }

    private static Double cost(Document d) {
        Object v = d.get("costUsd");
        return number(d, "priced") > 0 && v instanceof Number n ? n.doubleValue() : null;
    }
}
