package dev.devloop.tools.config;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.mongodb.client.MongoClient;
import dev.devloop.contracts.identity.CellTls;
import dev.devloop.contracts.identity.ServiceTokens;
import dev.devloop.tools.adapters.out.filesystem.LocalWorkspace;
import dev.devloop.tools.adapters.out.forge.github.GitHubForge;
import dev.devloop.tools.adapters.out.forge.github.GitHubForgeSettings;
import dev.devloop.tools.adapters.out.forge.local.BareRepositories;
import dev.devloop.tools.adapters.out.forge.local.ForgeRecords;
import dev.devloop.tools.adapters.out.forge.local.LocalForge;
import dev.devloop.tools.adapters.out.git.GitRemotes;
import dev.devloop.tools.adapters.out.git.JGitWorkspaces;
import dev.devloop.tools.adapters.out.http.JdkNetwork;
import dev.devloop.tools.adapters.out.http.JdkServiceAdmin;
import dev.devloop.tools.adapters.out.jsonschema.NetworkntArgumentSchemas;
import dev.devloop.tools.adapters.out.kafka.KafkaDeadLetters;
import dev.devloop.tools.adapters.out.kubernetes.KubernetesPodLogs;
import dev.devloop.tools.adapters.out.kubernetes.KubernetesRolloutRestart;
import dev.devloop.tools.adapters.out.kubernetes.KubernetesTarget;
import dev.devloop.tools.adapters.out.logs.LocalLogFiles;
import dev.devloop.tools.adapters.out.mcp.Langchain4jMcpClients;
import dev.devloop.tools.adapters.out.runner.LocalCommandRunner;
import dev.devloop.tools.application.DeadLetterSettings;
import dev.devloop.tools.application.DeadLetterTools;
import dev.devloop.tools.application.ForgeRouter;
import dev.devloop.tools.application.ForgeSettings;
import dev.devloop.tools.application.ForgeTools;
import dev.devloop.tools.application.GitSettings;
import dev.devloop.tools.application.GitTools;
import dev.devloop.tools.application.InvokeToolService;
import dev.devloop.tools.application.KnowledgeGraphTools;
import dev.devloop.tools.application.LogActivityTool;
import dev.devloop.tools.application.LogSettings;
import dev.devloop.tools.application.McpHosts;
import dev.devloop.tools.application.McpServerService;
import dev.devloop.tools.application.McpSettings;
import dev.devloop.tools.application.McpToolExecutor;
import dev.devloop.tools.application.NetworkSettings;
import dev.devloop.tools.application.NetworkTools;
import dev.devloop.tools.application.OperationsSettings;
import dev.devloop.tools.application.OperationsTools;
import dev.devloop.tools.application.PublishEventTool;
import dev.devloop.tools.application.QuotaSettings;
import dev.devloop.tools.application.ReadLogsTool;
import dev.devloop.tools.application.RetrieveFactTool;
import dev.devloop.tools.application.RoadmapTools;
import dev.devloop.tools.application.StoreFactTool;
import dev.devloop.tools.application.ToolExecutor;
import dev.devloop.tools.application.ToolExecutors;
import dev.devloop.tools.application.ToolRegistryService;
import dev.devloop.tools.application.ToolSettings;
import dev.devloop.tools.application.WorkspaceSettings;
import dev.devloop.tools.application.WorkspaceTools;
import dev.devloop.tools.domain.GitRemote;
import dev.devloop.tools.domain.NetworkEndpoint;
import dev.devloop.tools.domain.SecretScanner;
import dev.devloop.tools.domain.SettingSpec;
import dev.devloop.tools.ports.in.InvokeToolUseCase;
import dev.devloop.tools.ports.in.ManageMcpServersUseCase;
import dev.devloop.tools.ports.out.ActivityPort;
import dev.devloop.tools.ports.out.ArgumentSchemaPort;
import dev.devloop.tools.ports.out.AuditPort;
import dev.devloop.tools.ports.out.DeadLetterPort;
import dev.devloop.tools.ports.out.DependencyOutages;
import dev.devloop.tools.ports.out.EventPublisherPort;
import dev.devloop.tools.ports.out.ForgeEventsPort;
import dev.devloop.tools.ports.out.ForgePort;
import dev.devloop.tools.ports.out.GitPort;
import dev.devloop.tools.ports.out.InvocationEventsPort;
import dev.devloop.tools.ports.out.InvocationLedgerPort;
import dev.devloop.tools.ports.out.KnowledgePort;
import dev.devloop.tools.ports.out.McpClientPort;
import dev.devloop.tools.ports.out.McpServerStorePort;
import dev.devloop.tools.ports.out.NetworkPort;
import dev.devloop.tools.ports.out.RestartLedgerPort;
import dev.devloop.tools.ports.out.RunBudgetPort;
import dev.devloop.tools.ports.out.RunnerPort;
import dev.devloop.tools.ports.out.ServiceAdminPort;
import dev.devloop.tools.ports.out.ServiceLogsPort;
import dev.devloop.tools.ports.out.ShippedToolsPort;
import dev.devloop.tools.ports.out.TenantQuotaPort;
import dev.devloop.tools.ports.out.ToolMetricsPort;
import dev.devloop.tools.ports.out.ToolRegistryPort;
import dev.devloop.tools.ports.out.WorkspacePort;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.smallrye.common.annotation.Identifier;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.eclipse.microprofile.context.ManagedExecutor;

/** Wires the framework-free core to its adapters. */
@ApplicationScoped
public class ToolServiceWiring {

    @Produces
    @Singleton
    Clock clock() {
        return Clock.systemUTC();
    }

    @Produces
    @Singleton
    ToolSettings settings(ToolServiceConfig c) {
        return new ToolSettings(
                c.defaultTimeoutMs(),
                c.maxTimeoutMs(),
                c.defaultMaxOutputBytes(),
                c.maxOutputBytesCeiling(),
                c.maxCallsPerRunCeiling(),
                c.maxToolsPerTenant(),
                c.maxDescriptionChars(),
                c.maxSchemaBytes(),
                c.maxArgumentsBytes(),
                c.maxAllowedAgentTypes(),
                c.replayWaitMs(),
                c.replayPollMs(),
                c.staleClaimMs(),
                c.claimLeaseMs(),
                c.claimRenewMs(),
                c.resultWriteWaitMs());
    }

    @Produces
    @Singleton
    ArgumentSchemaPort argumentSchemas(ToolServiceConfig c) {
        return new NetworkntArgumentSchemas(c.schemaCacheSize());
    }

    @Produces
    @Singleton
    WorkspacePort workspace(ToolServiceConfig c) {
        return new LocalWorkspace(Path.of(c.workspace().root()));
    }

    @Produces
    @Singleton
    NetworkPort network(ToolServiceConfig c, CellTls cellTls) {
        Set<String> cellHosts = new TreeSet<>();
        c.network()
                .services()
                .values()
                .forEach(url -> cellHosts.add(URI.create(url).getHost().toLowerCase(Locale.ROOT)));
        return new JdkNetwork(c.network().timeoutMs(), cellTls.sslContext(), cellHosts);
    }

    @Produces
    @Singleton
    ToolExecutors executors(
            KnowledgePort knowledge,
            ActivityPort activity,
            WorkspacePort workspace,
            NetworkPort network,
            EventPublisherPort events,
            McpServerStorePort mcpServers,
            McpClientPort mcpClients,
            ServiceLogsPort logs,
            ServiceAdminPort admin,
            RunnerPort runner,
            RestartLedgerPort restarts,
            DeadLetterPort deadLetters,
            GitPort git,
            ToolMetricsPort metrics,
            ForgeTools forge,
            ToolServiceConfig c,
            Clock clock) {
        List<ToolExecutor> executors = new ArrayList<>(List.of(
                new StoreFactTool(knowledge), new RetrieveFactTool(knowledge), new LogActivityTool(activity, clock)));
        executors.addAll(new WorkspaceTools(
                        workspace,
                        new WorkspaceSettings(
                                c.workspace().maxPathChars(),
                                c.workspace().maxFileBytes(),
                                c.workspace().maxListEntries(),
                                c.workspace().maxTenantBytes(),
                                c.workspace().maxTenantEntries()))
                .executors());
        Map<String, URI> services = new TreeMap<>();
        c.network().services().forEach((name, url) -> services.put(name.toLowerCase(Locale.ROOT), URI.create(url)));
        executors.addAll(new NetworkTools(
                        network,
                        new NetworkSettings(
                                endpoints(services, c.network().endpoints()),
                                services,
                                c.network().allowedHosts().orElse(Set.of()).stream()
                                        .map(h -> h.toLowerCase(Locale.ROOT))
                                        .collect(Collectors.toSet()),
                                c.network().allowedHostPorts(),
                                c.network().timeoutMs(),
                                c.network().maxMetricsBytes(),
                                c.network().maxReportedMetrics()))
                .executors());
        executors.add(new PublishEventTool(events, c.events().allowedTopics()));
        executors.add(new McpToolExecutor(
                mcpServers, mcpClients, new McpHosts(network, mcpSettings(c).trustedHosts())));
        executors.addAll(new KnowledgeGraphTools(knowledge).executors());
        executors.addAll(new RoadmapTools(knowledge, clock).executors());
        executors.add(new ReadLogsTool(
                logs,
                new LogSettings(
                        lower(c.logs().services()),
                        c.logs().defaultLines(),
                        c.logs().maxScanBytes(),
                        c.logs().maxLineChars(),
                        c.logs().regexBudgetMs())));
        executors.addAll(new OperationsTools(admin, runner, restarts, operations(c), clock).executors());
        executors.addAll(new DeadLetterTools(deadLetters, deadLetterSettings(c)).executors());
        executors.addAll(gitTools(git, workspace, metrics, forge, c).executors());
        executors.addAll(forge.executors());
        return new ToolExecutors(executors);
    }

    static GitTools gitTools(
            GitPort git, WorkspacePort workspace, ToolMetricsPort metrics, ForgeTools forge, ToolServiceConfig c) {
        ToolServiceConfig.Git g = c.git();
        Map<String, String> defaults = new TreeMap<>();
        g.remotes().forEach((name, remote) -> defaults.put(name, remote.defaultBranch()));
        return new GitTools(
                git,
                workspace,
                new SecretScanner(g.entropyThreshold(), g.entropyMinLength()),
                new GitSettings(
                        defaults,
                        g.authorEmail(),
                        c.workspace().maxPathChars(),
                        g.maxFileBytes(),
                        g.maxDiffBytes(),
                        g.maxDiffFiles(),
                        g.maxCommitFiles(),
                        g.maxMessageChars(),
                        g.maxPushCommits(),
                        g.maxScanBytes()),
                new WorkspaceSettings(
                        c.workspace().maxPathChars(),
                        c.workspace().maxFileBytes(),
                        c.workspace().maxListEntries(),
                        c.workspace().maxTenantBytes(),
                        c.workspace().maxTenantEntries()),
                metrics,
                forge);
    }

    static Map<String, GitRemote> seedRemotes(ToolServiceConfig c) {
        Map<String, GitRemote> remotes = new TreeMap<>();
        c.git().remotes().forEach((name, r) -> {
            if (!GIT_REMOTE_NAME.matcher(name).matches()) {
                throw new IllegalStateException(
                        "devloop.tools.git.remotes: '" + name + "' must match " + GIT_REMOTE_NAME);
            }
            remotes.put(name, new GitRemote(localPathsAbsolute(r.url()), r.username(), r.password()));
        });
        return remotes;
    }

    /** Each repository's forge kind, checked at start: local or github (with owner and repo), of a configured remote. */
    static ForgeSettings forgeSettings(ToolServiceConfig c) {
        Map<String, String> defaults = new TreeMap<>();
        c.git().remotes().forEach((name, remote) -> defaults.put(name, remote.defaultBranch()));
        Map<String, String> kinds = new TreeMap<>();
        Set<String> withChecks = new TreeSet<>();
        c.forge().repositories().forEach((name, r) -> {
            String prefix = "devloop.tools.forge.repositories." + name;
            if (!defaults.containsKey(name)) {
                throw new IllegalStateException(prefix
                        + ": no git remote of that name is configured (devloop.tools.git.remotes." + name + ".url)");
            }
            String kind = r.kind().trim().toLowerCase(Locale.ROOT);
            if (!kind.equals("local") && !kind.equals("github")) {
                throw new IllegalStateException(prefix + ".kind must be local or github, not '" + kind + "'");
            }
            if (kind.equals("github")
                    && (r.owner().filter(o -> !o.isBlank()).isEmpty()
                            || r.repo().filter(o -> !o.isBlank()).isEmpty())) {
                throw new IllegalStateException(prefix + ": kind github needs owner and repo");
            }
            kinds.put(name, kind);
            if (kind.equals("local") && !r.checkCommand().orElse(List.of()).isEmpty()) {
                withChecks.add(name);
            }
        });
        return new ForgeSettings(
                defaults, kinds, withChecks, c.forge().maxChecks(), c.forge().pollMs(), 65_536, 256, 20);
    }

    @Produces
    @Singleton
    BareRepositories bareRepositories(ToolServiceConfig c) {
        return new BareRepositories(
                Path.of(c.forge().local().root()),
                seedRemotes(c),
                c.forge().local().gitTimeoutMs());
    }

    /**
     * The local forge. Every CDI bean implementing {@link ForgePort} is an adapter, registered under its
     * {@link ForgePort#kind()}: the GitHub adapter ({@code kind() = "github"}) only needs to be such a bean.
     */
    @Produces
    @Singleton
    LocalForge localForge(
            BareRepositories bare,
            MongoClient mongo,
            ForgeEventsPort events,
            ToolMetricsPort metrics,
            ToolServiceConfig c,
            Clock clock) {
        ToolServiceConfig.Forge.Local l = c.forge().local();
        Map<String, List<String>> commands = new TreeMap<>();
        ForgeSettings settings = forgeSettings(c);
        c.forge().repositories().forEach((name, r) -> {
            if (settings.withChecks().contains(name)) {
                commands.put(name, List.copyOf(r.checkCommand().orElseThrow()));
            }
        });
        ThreadPoolExecutor checkers = new ThreadPoolExecutor(
                l.checkWorkers(),
                l.checkWorkers(),
                0,
                TimeUnit.MILLISECONDS,
                new ArrayBlockingQueue<>(Math.max(1, l.checkQueue())),
                r -> {
                    Thread t = new Thread(r, "forge-check");
                    t.setDaemon(true);
                    return t;
                });
        ForgeRecords records = new ForgeRecords(mongo, c.database()); // indexes: migration V001 (MongoMigrator)
        return new LocalForge(
                bare,
                records,
                events,
                checkers,
                new LocalForge.Settings(
                        commands,
                        Path.of(c.workspace().root())
                                .toAbsolutePath()
                                .normalize()
                                .resolve(".forge-checks"),
                        l.checkTimeoutMs(),
                        l.checkMaxOutputBytes(),
                        l.checkMaxProcesses(),
                        l.urlBase()),
                clock,
                metrics::checkCompleted);
    }

    void closeLocalForge(@Disposes LocalForge forge) {
        forge.close();
    }

    /** The GitHub adapter, for the repositories of kind {@code github} (their owner and repo are required). */
    @Produces
    @Singleton
    GitHubForge gitHubForge(ToolServiceConfig c, io.vertx.core.Vertx vertx, Clock clock) {
        Map<String, GitHubForgeSettings.Repo> repos = new TreeMap<>();
        c.forge().repositories().forEach((name, r) -> {
            if ("github".equals(r.kind())) {
                repos.put(
                        name,
                        new GitHubForgeSettings.Repo(
                                r.owner()
                                        .orElseThrow(() -> new IllegalStateException("devloop.tools.forge.repositories."
                                                + name + ".owner is required for kind github")),
                                r.repo()
                                        .orElseThrow(() -> new IllegalStateException("devloop.tools.forge.repositories."
                                                + name + ".repo is required for kind github"))));
            }
        });
        ToolServiceConfig.Forge.Github g = c.forge().github();
        return new GitHubForge(
                new GitHubForgeSettings(
                        java.net.URI.create(g.apiUrl()),
                        g.token(),
                        repos,
                        java.time.Duration.ofMillis(g.timeoutMs()),
                        g.maxPages(),
                        g.perPage(),
                        g.etagCacheEntries(),
                        g.etagCacheBytes(),
                        g.maxResponseBytes(),
                        g.maxLogReadBytes()),
                vertx,
                clock);
    }

    void closeGitHubForge(@Disposes GitHubForge forge) {
        forge.close();
    }

    @Produces
    @Singleton
    ForgeRouter forgeRouter(@Any Instance<ForgePort> forges, ToolServiceConfig c) {
        Map<String, ForgePort> byKind = new TreeMap<>();
        for (ForgePort forge : forges) {
            if (byKind.put(forge.kind(), forge) != null) {
                throw new IllegalStateException("two forge adapters of kind " + forge.kind());
            }
        }
        return new ForgeRouter(byKind, forgeSettings(c));
    }

    @Produces
    @Singleton
    ForgeTools forgeTools(ForgeRouter router, ToolMetricsPort metrics, ToolServiceConfig c) {
        return new ForgeTools(router, forgeSettings(c), metrics);
    }

    @Produces
    @Singleton
    JGitWorkspaces git(ToolServiceConfig c, BareRepositories bare) {
        Map<String, GitRemote> remotes = seedRemotes(c);
        ForgeSettings forge = forgeSettings(c);
        GitRemotes seeds = GitRemotes.of(remotes);
        GitRemotes resolver = new GitRemotes() {
            @Override
            public GitRemote resolve(String tenant, String name) {
                if (!remotes.containsKey(name)) {
                    return null;
                }
                return LocalForge.KIND.equals(forge.kindOf(name))
                        ? new GitRemote(bare.ensure(tenant, name).toString(), Optional.empty(), Optional.empty())
                        : remotes.get(name);
            }

            @Override
            public String hide(String message) {
                return bare.hide(seeds.hide(message));
            }
        };
        return new JGitWorkspaces(
                Path.of(c.workspace().root()),
                resolver,
                c.git().timeoutMs(),
                c.git().maxScanBytes(),
                Executors.newFixedThreadPool(c.git().workers(), r -> {
                    Thread t = new Thread(r, "git-worker");
                    t.setDaemon(true);
                    return t;
                }));
    }

    void closeGit(@Disposes JGitWorkspaces git) {
        git.close();
    }

    /** JGit resolves a relative local path against the working copy; the operator meant the service's directory. */
    static String localPathsAbsolute(String url) {
        boolean local = !url.contains("://") && !url.matches("^[^/]+@[^/]+:.*");
        return local ? Path.of(url).toAbsolutePath().normalize().toString() : url;
    }

    private static final java.util.regex.Pattern GIT_REMOTE_NAME =
            java.util.regex.Pattern.compile("[a-z0-9][a-z0-9._-]{0,63}");

    /** {@code local} or {@code kubernetes}; anything else stops the start. */
    static boolean onKubernetes(ToolServiceConfig c) {
        String platform = c.operations().platform().trim().toLowerCase(Locale.ROOT);
        return switch (platform) {
            case "local" -> false;
            case "kubernetes" -> true;
            default ->
                throw new IllegalStateException(
                        "devloop.tools.operations.platform must be local or kubernetes, not '" + platform + "'");
        };
    }

    static KubernetesTarget kubernetesTarget(ToolServiceConfig c, KubernetesClient client) {
        ToolServiceConfig.Operations.Kubernetes k = c.operations().kubernetes();
        return new KubernetesTarget(
                KubernetesTarget.resolveNamespace(k.namespace(), Path.of(k.namespaceFile()), client.getNamespace()),
                k.release().filter(r -> !r.isBlank()).orElse(null));
    }

    /** The client is only created on Kubernetes (the extension's bean is lazy). */
    @Produces
    @Singleton
    ServiceLogsPort serviceLogs(ToolServiceConfig c, Instance<KubernetesClient> kubernetes) {
        if (onKubernetes(c)) {
            ToolServiceConfig.Operations.Kubernetes k = c.operations().kubernetes();
            KubernetesClient client = kubernetes.get();
            return new KubernetesPodLogs(
                    client,
                    kubernetesTarget(c, client),
                    k.maxPods(),
                    k.logTailLines(),
                    k.logSinceSeconds(),
                    k.logMaxReadBytes());
        }
        return new LocalLogFiles(Path.of(c.logs().dir()));
    }

    @Produces
    @Singleton
    ServiceAdminPort serviceAdmin(ToolServiceConfig c, ServiceTokens tokens, CellTls cellTls) {
        return new JdkServiceAdmin(Math.min(c.operations().timeoutMs(), 3000), tokens, cellTls.sslContext());
    }

    @Produces
    @Singleton
    RunnerPort runner(ToolServiceConfig c, Instance<KubernetesClient> kubernetes, Clock clock) {
        if (onKubernetes(c)) {
            KubernetesClient client = kubernetes.get();
            return new KubernetesRolloutRestart(client, kubernetesTarget(c, client), clock);
        }
        return new LocalCommandRunner(
                c.operations().restart().command().orElse(List.of()),
                c.operations().restart().maxOutputChars());
    }

    @Produces
    @Singleton
    KafkaDeadLetters deadLetters(@Identifier("default-kafka-broker") Map<String, Object> kafka) {
        return new KafkaDeadLetters(kafka); // every kafka.* property: the chart's SASL/TLS settings included
    }

    void closeDeadLetters(@Disposes KafkaDeadLetters deadLetters) {
        deadLetters.close();
    }

    static DeadLetterSettings deadLetterSettings(ToolServiceConfig c) {
        ToolServiceConfig.Operations.DeadLetters d = c.operations().deadLetters();
        return new DeadLetterSettings(
                d.topics(),
                c.operations().operatorTenants().orElse(Set.of()),
                d.group(),
                d.maxBytes(),
                d.readTimeLimitMs(),
                d.ackTimeoutMs(),
                d.samples(),
                d.previewChars());
    }

    static OperationsSettings operations(ToolServiceConfig c) {
        ToolServiceConfig.Operations o = c.operations();
        Map<String, URI> services = new TreeMap<>();
        c.network().services().forEach((name, u) -> services.put(name.toLowerCase(Locale.ROOT), URI.create(u)));
        Map<String, OperationsSettings.Endpoint> caches = new TreeMap<>();
        o.caches()
                .forEach((name, e) -> caches.put(
                        name.toLowerCase(Locale.ROOT),
                        new OperationsSettings.Endpoint(
                                owner(services, "caches." + name, e.service(), e.url()),
                                e.method().toUpperCase(Locale.ROOT),
                                URI.create(e.url()))));
        Map<String, OperationsSettings.Setting> settings = new TreeMap<>();
        o.settings().forEach((key, s) -> {
            SettingSpec.Type type;
            try {
                type = SettingSpec.Type.valueOf(s.type().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalStateException(
                        "devloop.tools.operations.settings." + key + ".type must be one of "
                                + List.of(SettingSpec.Type.values()),
                        e);
            }
            String k = key.toLowerCase(Locale.ROOT);
            settings.put(
                    k,
                    new OperationsSettings.Setting(
                            new SettingSpec(
                                    k,
                                    type,
                                    s.min().orElse(null),
                                    s.max().orElse(null),
                                    s.values().orElse(List.of()),
                                    s.maxLength(),
                                    s.platform()),
                            new OperationsSettings.Endpoint(
                                    owner(services, "settings.\"" + key + "\"", s.service(), s.url()),
                                    s.method().toUpperCase(Locale.ROOT),
                                    URI.create(s.url()))));
        });
        return new OperationsSettings(
                o.operatorTenants().orElse(Set.of()),
                o.timeoutMs(),
                o.maxAnswerBytes(),
                caches,
                settings,
                lower(o.restart().services()),
                "tool-service",
                o.restart().cooldownMs(),
                o.restart().waitMs(),
                o.circuits().url(),
                owner(
                        services,
                        "circuits",
                        Optional.of(o.circuits().service()),
                        o.circuits().url()));
    }

    /**
     * The Devloop service an administrative endpoint belongs to, which its calls are signed for: the one the entry
     * names, else the one of {@code devloop.tools.network.services} whose URL has the endpoint's origin. Stops the
     * start when neither names a configured service: a wrong audience would only show as 403s at run time.
     */
    static String owner(Map<String, URI> services, String entry, Optional<String> named, String url) {
        String key = "devloop.tools.operations." + entry + ".service";
        if (named.isPresent() && !named.get().isBlank()) {
            String service = named.get().trim().toLowerCase(Locale.ROOT);
            if (!services.containsKey(service)) {
                throw new IllegalStateException(key + ": '" + service + "' is not a service of "
                        + "devloop.tools.network.services " + services.keySet());
            }
            return service;
        }
        URI target = URI.create(url);
        List<String> matching = services.entrySet().stream()
                .filter(s -> sameOrigin(s.getValue(), target))
                .map(Map.Entry::getKey)
                .toList();
        if (matching.size() != 1) {
            throw new IllegalStateException(key + " is required: " + url + " is the URL of "
                    + (matching.isEmpty() ? "no service" : "several services " + matching)
                    + " of devloop.tools.network.services");
        }
        return matching.get(0);
    }

    private static boolean sameOrigin(URI a, URI b) {
        return a.getScheme() != null
                && a.getScheme().equalsIgnoreCase(b.getScheme())
                && a.getHost() != null
                && a.getHost().equalsIgnoreCase(b.getHost())
                && port(a) == port(b);
    }

    private static int port(URI uri) {
        return uri.getPort() > 0 ? uri.getPort() : "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
    }

    private static Set<String> lower(Set<String> names) {
        return names.stream().map(n -> n.toLowerCase(Locale.ROOT)).collect(Collectors.toSet());
    }

    @Produces
    @Singleton
    ToolRegistryService registryService(
            ToolRegistryPort registry,
            ShippedToolsPort shipped,
            ArgumentSchemaPort schemas,
            ToolExecutors executors,
            ToolSettings settings,
            Clock clock) {
        return new ToolRegistryService(registry, shipped, schemas, executors, settings, clock);
    }

    @Produces
    @Singleton
    InvokeToolUseCase invokeToolUseCase(
            ToolRegistryPort registry,
            ToolExecutors executors,
            ArgumentSchemaPort schemas,
            InvocationLedgerPort ledger,
            RunBudgetPort budgets,
            AuditPort audit,
            InvocationEventsPort events,
            ManagedExecutor executor,
            ToolSettings settings,
            Clock clock,
            TenantQuotaPort quota,
            ToolMetricsPort metrics,
            DependencyOutages outages,
            ToolServiceConfig c) {
        Map<String, QuotaSettings.Limits> overrides = new TreeMap<>();
        c.quota()
                .tenants()
                .forEach((tenant, q) -> overrides.put(
                        tenant,
                        new QuotaSettings.Limits(
                                q.perMinute().orElse(c.quota().perMinute()),
                                q.perDay().orElse(c.quota().perDay()))));
        QuotaSettings quotas = new QuotaSettings(
                c.quota().enabled(),
                new QuotaSettings.Limits(c.quota().perMinute(), c.quota().perDay()),
                overrides);
        return new InvokeToolService(
                registry, executors, schemas, ledger, budgets, audit, events, executor, settings, clock, quota, quotas,
                metrics, outages);
    }

    @Produces
    @Singleton
    Langchain4jMcpClients mcpClients(ObjectMapper json, io.vertx.core.Vertx vertx, ToolServiceConfig c) {
        return new Langchain4jMcpClients(
                json,
                vertx,
                Duration.ofMillis(c.mcp().connectTimeoutMs()),
                Duration.ofMillis(c.maxTimeoutMs()),
                c.mcp().maxAnswerBytes());
    }

    void closeMcpClients(@Disposes Langchain4jMcpClients clients) {
        clients.close();
    }

    @Produces
    @Singleton
    ManageMcpServersUseCase mcpServers(
            McpServerStorePort servers,
            McpClientPort clients,
            ToolRegistryPort registry,
            ArgumentSchemaPort schemas,
            NetworkPort network,
            ToolSettings settings,
            ToolServiceConfig c,
            Clock clock) {
        return new McpServerService(servers, clients, registry, schemas, network, mcpSettings(c), settings, clock);
    }

    private static McpSettings mcpSettings(ToolServiceConfig c) {
        return new McpSettings(
                c.mcp().trustedHosts().orElse(Set.of()).stream()
                        .map(h -> h.toLowerCase(Locale.ROOT))
                        .collect(Collectors.toSet()),
                c.mcp().toolTimeoutMs(),
                c.mcp().maxServersPerTenant(),
                c.mcp().maxToolsPerServer(),
                c.mcp().maxUrlChars());
    }

    /** Each service is an http endpoint on its URL's host and port, unless configured explicitly; then the rest. */
    static Map<String, NetworkEndpoint> endpoints(
            Map<String, URI> services, Map<String, ToolServiceConfig.Endpoint> configured) {
        Map<String, NetworkEndpoint> endpoints = new TreeMap<>();
        services.forEach((name, url) -> {
            int port = url.getPort() > 0 ? url.getPort() : "https".equals(url.getScheme()) ? 443 : 80;
            endpoints.put(name, new NetworkEndpoint(name, url.getHost(), port, "http"));
        });
        configured.forEach((raw, e) -> {
            String name = raw.toLowerCase(Locale.ROOT);
            endpoints.put(name, new NetworkEndpoint(name, e.host(), e.port(), e.protocol()));
        });
        return endpoints;
    }
}
