package dev.devloop.agent.support;

import com.fasterxml.jackson.databind.JsonNode;
import dev.devloop.agent.domain.Agent;
import dev.devloop.agent.domain.ComponentHealth;
import dev.devloop.agent.domain.Handoff;
import dev.devloop.agent.domain.Run;
import dev.devloop.agent.ports.out.FactsPort;
import dev.devloop.agent.ports.out.HandoffRepositoryPort;
import dev.devloop.agent.ports.out.HealthEventsPort;
import dev.devloop.agent.ports.out.LifecyclePublisherPort;
import dev.devloop.agent.ports.out.RunResultsPublisherPort;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/** In-memory outbound ports that record what they were given. */
public final class Recorders {

    /** One fact write. */
    public record FactWrite(String tenant, String entity, String attribute, JsonNode value, Long ttl, String key) {}

    public static class Facts implements FactsPort {
        public final List<FactWrite> writes = new CopyOnWriteArrayList<>();

        @Override
        public void record(String tenant, String entity, String attribute, JsonNode value, Long ttl, String key) {
            writes.add(new FactWrite(tenant, entity, attribute, value, ttl, key));
        }

        public Optional<FactWrite> find(String entity, String attribute) {
            return writes.stream()
                    .filter(w -> w.entity().equals(entity) && w.attribute().equals(attribute))
                    .findFirst();
        }
    }

    public static class Lifecycle implements LifecyclePublisherPort {
        public final List<String> events = new CopyOnWriteArrayList<>();
        public final List<Handoff> handoffs = new CopyOnWriteArrayList<>();

        @Override
        public void spawned(Agent agent) {
            events.add("spawned " + agent.type() + " " + agent.id());
        }

        @Override
        public void statusChanged(Agent agent) {
            events.add("status " + agent.status() + " " + agent.id());
        }

        @Override
        public void retired(Agent agent) {
            events.add("retired " + agent.type() + " " + agent.id());
        }

        @Override
        public void handedOff(Handoff handoff) {
            handoffs.add(handoff);
        }
    }

    public static class Health implements HealthEventsPort {
        public final List<ComponentHealth> statuses = new CopyOnWriteArrayList<>();
        public final List<String> reports = new CopyOnWriteArrayList<>();

        @Override
        public void status(String tenant, ComponentHealth health, String checkedBy) {
            statuses.add(health);
        }

        @Override
        public void report(String tenant, String checkId, String agentId, String report, int unhealthy) {
            reports.add(report);
        }
    }

    public static class Handoffs implements HandoffRepositoryPort {
        public final Map<String, Handoff> byId = new ConcurrentHashMap<>();

        @Override
        public void save(Handoff handoff) {
            byId.put(handoff.id(), handoff);
        }

        @Override
        public Optional<Handoff> find(String tenant, String handoffId) {
            return Optional.ofNullable(byId.get(handoffId))
                    .filter(h -> h.tenant().equals(tenant));
        }
    }

    public static class Results implements RunResultsPublisherPort {
        public final List<Run> finished = new CopyOnWriteArrayList<>();

        @Override
        public void finished(Run run) {
            finished.add(run);
        }
    }

    private Recorders() {}
}
