package dev.devloop.provider.support;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.HashMap;
import java.util.Map;

/**
 * Two OpenAI-compatible upstreams on their own ports, as the named instances {@code primary} and
 * {@code fallback} serving the same model {@value #MODEL}, behind the alias {@value #ALIAS}
 * ({@code primary/m1,fallback/m1}). {@code primary}'s circuit: a rolling window of
 * {@value #VOLUME} calls, failure ratio {@value #RATIO}, open for {@value #DELAY_SECONDS} s, then
 * {@value #SUCCESS_THRESHOLD} trial calls. Retries are the shipped defaults (2, Retry-After aware) with short
 * back-offs. Unknown models are refused (the shipped default), and tenant {@value #BUDGET_TENANT} has a spent
 * budget of $0 for the OpenAI-shaped 429.
 */
public class FailoverStub implements QuarkusTestResourceLifecycleManager {
    public static final String MODEL = "m1";
    public static final String ALIAS = "resilient";
    public static final int VOLUME = 10;
    public static final double RATIO = 0.5;
    public static final int DELAY_SECONDS = 600;
    public static final int SUCCESS_THRESHOLD = 2;
    public static final String BUDGET_TENANT = "failover-broke";
    private static volatile WireMockServer primary;
    private static volatile WireMockServer fallback;

    @Override
    public Map<String, String> start() {
        primary = started();
        fallback = started();
        Map<String, String> c = new HashMap<>();
        c.put("devloop.provider.retry.base-delay", "5ms");
        c.put("devloop.provider.retry.max-delay", "20ms");
        for (Map.Entry<String, WireMockServer> e :
                Map.of("primary", primary, "fallback", fallback).entrySet()) {
            String p = "devloop.provider.instances." + e.getKey() + ".";
            c.put(p + "base-url", e.getValue().baseUrl() + "/v1");
            c.put(p + "models", MODEL);
            c.put(p + "timeout", "5s");
        }
        String cb = "devloop.provider.instances.primary.circuit-breaker.";
        c.put(cb + "request-volume-threshold", String.valueOf(VOLUME));
        c.put(cb + "failure-ratio", String.valueOf(RATIO));
        c.put(cb + "delay", DELAY_SECONDS + "s");
        c.put(cb + "success-threshold", String.valueOf(SUCCESS_THRESHOLD));
        c.put("devloop.provider.instances.fallback.circuit-breaker.request-volume-threshold", "100000");
        c.put("devloop.provider.aliases." + ALIAS, "primary/" + MODEL + ",fallback/" + MODEL);
        c.put("devloop.provider.budgets.tenants.\"" + BUDGET_TENANT + "\"", "0");
        return c;
    }

    private static WireMockServer started() {
        WireMockServer s = new WireMockServer(
                WireMockConfiguration.options().bindAddress("127.0.0.1").dynamicPort());
        s.start();
        return s;
    }

    @Override
    public void stop() {
        for (WireMockServer s : new WireMockServer[] {primary, fallback}) {
            if (s != null) {
                s.stop();
            }
        }
    }

    public static WireMockServer primary() {
        return primary;
    }

    public static WireMockServer fallback() {
        return fallback;
    }
}
