package dev.devloop.gateway.application;

import dev.devloop.contracts.problem.Refusal;
import dev.devloop.gateway.domain.DeliveryAttempt;
import dev.devloop.gateway.domain.Webhook;
import dev.devloop.gateway.ports.in.ManageWebhooksUseCase;
import dev.devloop.gateway.ports.in.RegisterWebhookCommand;
import dev.devloop.gateway.ports.out.DeliveryLogPort;
import dev.devloop.gateway.ports.out.WebhookStorePort;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

/** Registers, lists and deletes a tenant's webhooks (URL checked against SSRF rules) and reads their delivery log. */
public final class WebhookService implements ManageWebhooksUseCase {
    /** An event type such as {@code dev.devloop.agent.run.finished}. */
    public static final Pattern EVENT_TYPE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");
    /** Ids the gateway gives out ({@code wh-<uuid>}); anything else cannot be one. */
    public static final Pattern ID = Pattern.compile("wh-[0-9a-f-]{36}");

    private static final Pattern SECRET = Pattern.compile("[\\x21-\\x7e]+");
    private static final int MIN_SECRET = 16;
    private static final int MAX_SECRET = 256;
    private static final SecureRandom RANDOM = new SecureRandom();

    /** Bounds on webhooks. */
    public record Limits(int maxWebhooksPerTenant, int maxEventTypes, int maxDeliveriesListed) {}

    private final WebhookStorePort store;
    private final DeliveryLogPort log;
    private final WebhookUrlRules urlRules;
    private final Limits limits;
    private final Clock clock;

    public WebhookService(
            WebhookStorePort store, DeliveryLogPort log, WebhookUrlRules urlRules, Limits limits, Clock clock) {
        this.store = store;
        this.log = log;
        this.urlRules = urlRules;
        this.limits = limits;
        this.clock = clock;
    }

    @Override
    public Webhook register(RegisterWebhookCommand command) {
        String url = urlRules.check(command.url());
        Set<String> types = eventTypes(command.eventTypes());
        String secret = secret(command.secret());
        if (store.count(command.tenant()) >= limits.maxWebhooksPerTenant()) {
            throw new Refusal(
                    Refusal.Reason.CONFLICT,
                    "webhook-limit-reached",
                    "Too many webhooks",
                    "a tenant may register at most " + limits.maxWebhooksPerTenant() + " webhooks",
                    null);
        }
        Webhook webhook = new Webhook("wh-" + UUID.randomUUID(), command.tenant(), url, types, secret, clock.instant());
        store.save(webhook);
        return webhook;
    }

    @Override
    public List<Webhook> list(String tenant) {
        return store.list(tenant, limits.maxWebhooksPerTenant());
    }

    @Override
    public boolean delete(String tenant, String id) {
        return store.delete(tenant, checkId(id));
    }

    @Override
    public Optional<List<DeliveryAttempt>> deliveries(String tenant, String id) {
        return store.find(tenant, checkId(id)).map(w -> log.latest(tenant, w.id(), limits.maxDeliveriesListed()));
    }

    private static String checkId(String id) {
        if (id == null || !ID.matcher(id).matches()) {
            throw Refusal.invalid("id", "a webhook id looks like wh-<uuid>");
        }
        return id;
    }

    private Set<String> eventTypes(List<String> requested) {
        if (requested == null || requested.isEmpty()) {
            throw Refusal.invalid("eventTypes", "eventTypes must list at least one event type");
        }
        if (requested.size() > limits.maxEventTypes()) {
            throw Refusal.invalid("eventTypes", "eventTypes may list at most " + limits.maxEventTypes());
        }
        Set<String> types = new LinkedHashSet<>();
        for (String type : requested) {
            if (type == null || !EVENT_TYPE.matcher(type).matches()) {
                throw Refusal.invalid("eventTypes", "each event type must match " + EVENT_TYPE.pattern());
            }
            types.add(type);
        }
        return types;
    }

    private static String secret(String given) {
        if (given == null) {
            byte[] bytes = new byte[32];
            RANDOM.nextBytes(bytes);
            return "whsec_" + HexFormat.of().formatHex(bytes);
        }
        if (given.length() < MIN_SECRET
                || given.length() > MAX_SECRET
                || !SECRET.matcher(given).matches()) {
            throw Refusal.invalid(
                    "secret", "secret must be " + MIN_SECRET + " to " + MAX_SECRET + " visible ASCII characters");
        }
        return given;
    }
}
