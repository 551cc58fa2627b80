package dev.devloop.provider.config;

import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.config.MeterFilter;
import io.quarkus.micrometer.runtime.HttpServerMetricsTagsContributor;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.SocketAddress;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.health.Readiness;

/**
 * Keeps the start-up warm-up's calls out of the HTTP server's request metrics ({@code http.server.requests}), where
 * Quarkus records them. While the warm-up runs, a request carrying its per-run secret mark
 * ({@link LoopbackCalls#MARK_HEADER}), and a request to its loopback stub (another HTTP server of the same Vert.x,
 * hence measured too), gets the extra tag {@value #TAG}, and the meter filter denies every meter with
 * that tag: those meters never reach a registry (no Prometheus series, so no series with another set of tag keys).
 * Micrometer caches a denied id as a no-op meter, which is harmless here: only the marked ids are denied, never the
 * ids of real traffic. Outside the warm-up no header is read (one volatile read per request).
 */
@Singleton
public class WarmupHttpMetrics implements HttpServerMetricsTagsContributor {
    static final String TAG = "devloop_warmup";
    private static final Tags MARKED = Tags.of(TAG, "true");

    private final HotPathWarmup warmup;

    public WarmupHttpMetrics(@Readiness HotPathWarmup warmup) {
        this.warmup = warmup;
    }

    @Override
    public Tags contribute(Context context) {
        String mark = warmup.metricsMark();
        if (mark == null) {
            return Tags.empty();
        }
        HttpServerRequest request = context.request();
        // the warm-up's calls to this server, and its loopback stub's side of them (a server of the same Vert.x)
        return mark.equals(request.getHeader(LoopbackCalls.MARK_HEADER)) || isStub(request) ? MARKED : Tags.empty();
    }

    private boolean isStub(HttpServerRequest request) {
        SocketAddress local = request.localAddress();
        return local != null && local.port() == warmup.stubPort();
    }

    /** Denies the meters of the warm-up's marked calls. */
    @Produces
    @Singleton
    MeterFilter warmupCallsDenied() {
        return MeterFilter.deny(id -> id.getTag(TAG) != null);
    }
}
