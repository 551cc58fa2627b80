package dev.devloop.gateway.adapters.out.health;

import dev.devloop.gateway.config.GatewayConfig;
import dev.devloop.gateway.ports.out.DependencyProbe;
import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Probes every {@link DependencyProbe} in the background, each on its own schedule ({@code hop.health-cache-ttl}
 * apart, each probe bounded by its own timeout), and keeps the latest result: health checks read it and never
 * wait on a dependency, so a probe of a dead sibling cannot make the gateway's own probes slow.
 */
@ApplicationScoped
public class DependencyMonitor {
    /** The latest result of one dependency; {@code checkedAt} null until its first probe ends. */
    public record Status(String name, String affects, boolean up, String detail, Instant checkedAt) {}

    private final List<DependencyProbe> probes;
    private final Duration every;
    private final Map<String, Status> latest = new ConcurrentHashMap<>();
    private ScheduledExecutorService scheduler;

    public DependencyMonitor(@Any Instance<DependencyProbe> probes, GatewayConfig config) {
        List<DependencyProbe> all = new ArrayList<>();
        probes.forEach(all::add);
        all.sort((a, b) -> a.name().compareTo(b.name()));
        this.probes = List.copyOf(all);
        this.every = config.hop().healthCacheTtl();
        for (DependencyProbe probe : this.probes) {
            latest.put(probe.name(), new Status(probe.name(), probe.affects(), true, "not probed yet", null));
        }
    }

    void start(@Observes StartupEvent event) {
        scheduler = Executors.newScheduledThreadPool(Math.max(1, probes.size()), runnable -> {
            Thread thread = new Thread(runnable, "dependency-probe");
            thread.setDaemon(true);
            return thread;
        });
        for (DependencyProbe probe : probes) {
            scheduler.scheduleWithFixedDelay(() -> probeOnce(probe), 0, every.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    void stop(@Observes ShutdownEvent event) {
        if (scheduler != null) {
            scheduler.shutdownNow();
        }
    }

    /** Probes {@code probe} now and records the result (also used by tests that must not wait for the schedule). */
    Status probeOnce(DependencyProbe probe) {
        DependencyProbe.Result result;
        try {
            result = probe.probe();
        } catch (RuntimeException e) {
            result = DependencyProbe.Result.down(e);
        }
        Status before = latest.get(probe.name());
        Status now = new Status(probe.name(), probe.affects(), result.up(), result.detail(), Instant.now());
        latest.put(probe.name(), now);
        if (before != null && before.checkedAt() != null && before.up() != now.up()) {
            Log.warnf(
                    "dependency %s is %s (%s): %s",
                    probe.name(),
                    now.up() ? "UP again" : "DOWN",
                    now.detail(),
                    now.up() ? "its routes work again" : probe.affects());
        }
        return now;
    }

    /** The latest status of every dependency, by name. */
    public Map<String, Status> snapshot() {
        Map<String, Status> copy = new LinkedHashMap<>();
        for (DependencyProbe probe : probes) {
            copy.put(probe.name(), latest.get(probe.name()));
        }
        return Collections.unmodifiableMap(copy);
    }

    /** The dependencies whose latest probe failed. */
    public List<Status> down() {
        List<Status> down = new ArrayList<>();
        for (Status status : snapshot().values()) {
            if (status != null && !status.up()) {
                down.add(status);
            }
        }
        return down;
    }
}
