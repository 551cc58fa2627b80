package dev.devloop.agent.support;

import dev.devloop.agent.domain.Run;
import dev.devloop.agent.domain.Step;
import dev.devloop.agent.domain.TokenUsage;
import dev.devloop.agent.ports.out.RunRepositoryPort;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** Run repository in memory, recording the order in which steps were persisted. */
public class InMemoryRuns implements RunRepositoryPort {
    private final Map<String, Run> runs = new ConcurrentHashMap<>();
    private final Map<String, List<Step>> appended = new ConcurrentHashMap<>();
    private final java.util.Set<String> abandoned = ConcurrentHashMap.newKeySet();

    @Override
    public void create(Run run) {
        runs.put(run.id(), run);
    }

    @Override
    public boolean createIfAbsent(Run run) {
        return runs.putIfAbsent(run.id(), run) == null;
    }

    @Override
    public List<Run> claimAbandoned(int max) {
        List<Run> claimed = new ArrayList<>();
        for (String id : List.copyOf(abandoned)) {
            if (claimed.size() < max && abandoned.remove(id)) {
                claimed.add(runs.get(id));
            }
        }
        return claimed;
    }

    /** Marks a stored run as left behind by a dead runner, as a lapsed lease would. */
    public void abandon(Run run) {
        runs.put(run.id(), run);
        abandoned.add(run.id());
    }

    @Override
    public void appendStep(String tenant, String runId, Step step, TokenUsage totalUsage) {
        appended.computeIfAbsent(runId, k -> new ArrayList<>()).add(step);
    }

    @Override
    public void finish(Run run) {
        runs.put(run.id(), run);
    }

    @Override
    public Optional<Run> requestCancel(String tenant, String runId, String reason) {
        return Optional.ofNullable(runs.computeIfPresent(
                        runId,
                        (id, r) -> r.tenant().equals(tenant)
                                        && r.status() == dev.devloop.agent.domain.RunStatus.RUNNING
                                        && !r.cancelRequested()
                                ? r.withCancelRequest(reason)
                                : r))
                .filter(r -> r.tenant().equals(tenant));
    }

    @Override
    public Optional<Run> find(String tenant, String runId) {
        return Optional.ofNullable(runs.get(runId)).filter(r -> r.tenant().equals(tenant));
    }

    private final Map<String, List<String>> waits = new ConcurrentHashMap<>();
    private final Map<String, Long> waited = new ConcurrentHashMap<>();

    @Override
    public void waitingFor(String tenant, String runId, String reason) {
        waits.computeIfAbsent(runId, k -> new java.util.concurrent.CopyOnWriteArrayList<>())
                .add(reason);
    }

    @Override
    public void waitEnded(String tenant, String runId, long waitedMs) {
        waited.merge(runId, waitedMs, Long::sum);
    }

    /** The reasons the run showed while it waited for a sibling service, in order. */
    public List<String> waitReasons(String runId) {
        return waits.getOrDefault(runId, List.of());
    }

    /** The time the run's ended waits added to its outageWaitMs (null: it never waited). */
    public Long outageWaitMs(String runId) {
        return waited.get(runId);
    }

    public List<Step> appendedSteps(String runId) {
        return appended.getOrDefault(runId, List.of());
    }
}
