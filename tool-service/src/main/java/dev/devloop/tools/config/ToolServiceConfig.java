package dev.devloop.tools.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Typed settings of tool-service. */
@ConfigMapping(prefix = "devloop.tools")
public interface ToolServiceConfig {
    /** MongoDB database holding registrations, idempotency records, budgets, audit and activity. */
    @WithDefault("devloop_tools")
    String database();

    /** MongoDB migrations at start (adapters.out.mongo.MongoMigrator). */
    Migrations migrations();

    /** How long a start waits for another instance's migration lock, and how often it retries an unreachable store. */
    interface Migrations {
        /** Longest wait for another instance's lock before giving up, not ready. */
        @WithDefault("120s")
        Duration lockWait();

        /** Pause between attempts while MongoDB is unreachable at start. */
        @WithDefault("10s")
        Duration retry();
    }

    /** Classpath resource listing the shipped tools. */
    @WithDefault("shipped-tools.json")
    String shippedToolsResource();

    /** Deadline of a registered tool that names none, in milliseconds. */
    @WithDefault("10000")
    long defaultTimeoutMs();

    /** Longest deadline a tool may have, in milliseconds (agent-service waits 120 s for an invocation). */
    @WithDefault("60000")
    long maxTimeoutMs();

    /** Output ceiling of a registered tool that names none, in bytes of JSON. */
    @WithDefault("65536")
    int defaultMaxOutputBytes();

    /** Highest output ceiling a tool may have, in bytes of JSON. */
    @WithDefault("1048576")
    int maxOutputBytesCeiling();

    /** Highest per-run call budget a tool may have. */
    @WithDefault("1000")
    int maxCallsPerRunCeiling();

    /** How many tools one tenant may register. */
    @WithDefault("200")
    int maxToolsPerTenant();

    /** Longest tool description, in characters. */
    @WithDefault("2000")
    int maxDescriptionChars();

    /** Largest parameter schema, in bytes of JSON. */
    @WithDefault("16384")
    int maxSchemaBytes();

    /** Largest arguments object of one invocation, in bytes of JSON. */
    @WithDefault("131072")
    int maxArgumentsBytes();

    /** Most agent types one tool may list. */
    @WithDefault("50")
    int maxAllowedAgentTypes();

    /** How long a duplicate waits past the tool's deadline for the first call to finish, in milliseconds. */
    @WithDefault("2000")
    long replayWaitMs();

    /** Poll interval of that wait, in milliseconds. */
    @WithDefault("50")
    long replayPollMs();

    /**
     * Age past the tool's deadline after which a pending claim written without a lease (by a version before leases)
     * counts as abandoned, in milliseconds.
     */
    @WithDefault("30000")
    long staleClaimMs();

    /**
     * How long a pending idempotency claim stays its holder's without a renewal, in milliseconds: a claim whose holder
     * crashed or lost the store frees this long after its last renewal.
     */
    @WithDefault("3000")
    long claimLeaseMs();

    /** How often a running invocation renews its claim's lease, in milliseconds (well below the lease). */
    @WithDefault("1000")
    long claimRenewMs();

    /**
     * How long a call whose tool finished keeps retrying to record the result while the store is away, in
     * milliseconds; past it the caller gets 503 and the claim lapses (a retry then runs the tool again).
     */
    @WithDefault("30000")
    long resultWriteWaitMs();

    /** How many compiled parameter schemas are kept. */
    @WithDefault("512")
    int schemaCacheSize();

    /** What the network tools may reach. */
    Network network();

    /** What publish_event may publish. */
    Events events();

    /** Settings of check_connectivity and analyze_metrics. */
    interface Network {
        /** Devloop's own services by name, e.g. {@code knowledge-service=http://127.0.0.1:8082}; trusted even on loopback. */
        Map<String, String> services();

        /**
         * The endpoints check_connectivity may probe by name, each on its one port and protocol (trusted even on
         * loopback or private addresses). Each Devloop service of {@link #services()} is an {@code http} endpoint
         * on its URL's host and port unless configured here under the same name.
         */
        Map<String, Endpoint> endpoints();

        /** Further hosts check_connectivity may probe; they must resolve to public addresses only. */
        Optional<Set<String>> allowedHosts();

        /** The only ports an allow-listed host may be probed on. */
        @WithDefault("443,80")
        Set<Integer> allowedHostPorts();

        /** Connect and read deadline of one probe, in milliseconds. */
        @WithDefault("3000")
        long timeoutMs();

        /** Largest metrics page read, in bytes. */
        @WithDefault("2097152")
        int maxMetricsBytes();

        /** Most devloop_* metrics reported by analyze_metrics. */
        @WithDefault("50")
        int maxReportedMetrics();
    }

    /** One configured network endpoint: {@code devloop.tools.network.endpoints.<name>.{host,port,protocol}}. */
    interface Endpoint {
        /** Host name or address literal. */
        String host();

        /** The one port that may be probed. */
        int port();

        /** {@code tcp} (connect only) or {@code http} (GET, redirects never followed). */
        @WithDefault("tcp")
        String protocol();
    }

    /** Settings of publish_event. */
    interface Events {
        /** Topics agents may publish to. */
        @WithDefault("devloop.system.health,devloop.knowledge.facts")
        Set<String> allowedTopics();
    }

    /** The filesystem tools' workspaces. */
    Workspace workspace();

    /** Settings of the per-tenant workspaces behind read_file, write_file and list_dir. */
    interface Workspace {
        /** Directory holding one workspace per tenant, {@code <root>/<tenant>}. */
        @WithDefault("${java.io.tmpdir}/devloop-workspaces")
        String root();

        /** Longest path argument, in characters. */
        @WithDefault("512")
        int maxPathChars();

        /** Largest file read or written, in bytes. */
        @WithDefault("262144")
        int maxFileBytes();

        /** Most entries one list_dir returns. */
        @WithDefault("500")
        int maxListEntries();

        /** Bytes one tenant's workspace may hold in regular files (0 = unlimited); write_file past it → 403. */
        @WithDefault("67108864")
        long maxTenantBytes();

        /** Files and directories one tenant's workspace may hold (0 = unlimited); also bounds the usage walk. */
        @WithDefault("10000")
        int maxTenantEntries();
    }

    /** The git tools. */
    Git git();

    /** Settings of git_clone ... git_push (working copies live under workspace.root). */
    interface Git {
        /** The repositories agents may name, by name; nothing is configured by default. */
        Map<String, Remote> remotes();

        /** Email of the commit author {@code devloop-agent/<agentType>}. */
        @WithDefault("agents@devloop.invalid")
        String authorEmail();

        /** Deadline of one git operation (clone, fetch, push, ...), in milliseconds. */
        @WithDefault("30000")
        long timeoutMs();

        /** Parallel git operations across all working copies. */
        @WithDefault("4")
        int workers();

        /** Largest file git_read_file / git_write_file handle, in bytes. */
        @WithDefault("262144")
        int maxFileBytes();

        /** Longest diff git_diff returns, in bytes (cut and marked truncated past it). */
        @WithDefault("65536")
        int maxDiffBytes();

        /** Most files git_diff lists. */
        @WithDefault("200")
        int maxDiffFiles();

        /** Most changed files one commit may hold. */
        @WithDefault("200")
        int maxCommitFiles();

        /** Longest commit message, in characters. */
        @WithDefault("4000")
        int maxMessageChars();

        /** Most not-yet-pushed commits git_push scans; more refuses the push. */
        @WithDefault("100")
        int maxPushCommits();

        /** Largest diff the secret scan reads, in bytes; a larger change is refused as too large to scan. */
        @WithDefault("8388608")
        int maxScanBytes();

        /** Shannon entropy (bits per character) from which a value assigned to a key/secret/token name is a secret. */
        @WithDefault("3.5")
        double entropyThreshold();

        /** Shortest value the entropy rule considers. */
        @WithDefault("20")
        int entropyMinLength();

        /** One remote: URL, the branch features start from, and optional credentials (used for clone, fetch, push). */
        interface Remote {
            String url();

            @WithDefault("main")
            String defaultBranch();

            Optional<String> username();

            /** A token or password; never logged, never shown to agents. */
            Optional<String> password();
        }
    }

    /** The forges behind the forge tools (docs/delivery.md, "The forge port"). */
    Forge forge();

    /** Settings of the forge tools, the local forge and the GitHub adapter. */
    interface Forge {
        /** Per repository (a name of devloop.tools.git.remotes): which forge serves it and its checks. */
        Map<String, Repository> repositories();

        /** The local forge: bare repositories on disk, records in MongoDB, checks run here. */
        Local local();

        /** The GitHub adapter (REST v3). */
        Github github();

        /** Topic of the forge events (knowledge-service applies them to roadmap features). */
        @WithDefault("devloop.forge.events")
        String eventsTopic();

        /** Most checks forge_checks lists. */
        @WithDefault("20")
        int maxChecks();

        /** How often forge_checks asks again while it waits, in milliseconds. */
        @WithDefault("2000")
        long pollMs();

        /** One repository's forge. */
        interface Repository {
            /** {@code local} (default) or {@code github}. */
            @WithDefault("local")
            String kind();

            /** GitHub owner (kind github). */
            Optional<String> owner();

            /** GitHub repository name (kind github). */
            Optional<String> repo();

            /**
             * The local forge's check: an argv list run (no shell) in a fresh clone of the head commit; a first element
             * starting with {@code ./} names a file of the clone. Unset: the repository has no checks. Operator only.
             */
            Optional<List<String>> checkCommand();
        }

        /** Settings of the local forge. */
        interface Local {
            /** Directory of the tenants' bare repositories, {@code <root>/<tenant>/<repository>.git}. */
            @WithDefault("${devloop.tools.workspace.root}/../forge")
            String root();

            /** Public base of the URLs the local forge gives its pull requests, issues and checks. */
            @WithDefault("devloop-forge://local")
            String urlBase();

            /** Deadline of one check run, in milliseconds (the whole process tree is killed past it). */
            @WithDefault("600000")
            long checkTimeoutMs();

            /** Output of a check kept, in bytes (the tail). */
            @WithDefault("65536")
            int checkMaxOutputBytes();

            /** Checks run in parallel. */
            @WithDefault("2")
            int checkWorkers();

            /** Checks waiting for a worker; past it a new check is recorded as cancelled. */
            @WithDefault("32")
            int checkQueue();

            /** Most processes (the command and its descendants) one check may have; past it the check is killed. */
            @WithDefault("256")
            int checkMaxProcesses();

            /** Deadline of one operation on a bare repository (seed clone, merge), in milliseconds. */
            @WithDefault("30000")
            long gitTimeoutMs();
        }

        /** Settings of the GitHub adapter. */
        interface Github {
            @WithDefault("https://api.github.com")
            String apiUrl();

            /** A token (DEVLOOP_GITHUB_TOKEN); sent only as Authorization: Bearer, never logged. */
            Optional<String> token();

            /** Deadline of one GitHub call, in milliseconds. */
            @WithDefault("10000")
            long timeoutMs();

            /** Most pages a listing follows ({@code Link: rel="next"}). */
            @WithDefault("10")
            int maxPages();

            /** Items asked per page. */
            @WithDefault("100")
            int perPage();

            /** Responses kept for conditional requests ({@code If-None-Match}). */
            @WithDefault("1000")
            int etagCacheEntries();

            /** Bytes of bodies kept for conditional requests. */
            @WithDefault("16777216")
            long etagCacheBytes();

            /** Largest GitHub answer read, in bytes (a larger one is refused without being buffered). */
            @WithDefault("4194304")
            int maxResponseBytes();

            /** Largest Actions job log read, in bytes (its tail is kept). */
            @WithDefault("8388608")
            int maxLogReadBytes();
        }
    }

    /** Imports of remote MCP servers. */
    Mcp mcp();

    /** Settings of POST /mcp-servers and the tools it imports. */
    interface Mcp {
        /** Hosts an MCP server may live on even when they resolve to loopback or private addresses. */
        Optional<Set<String>> trustedHosts();

        /** Deadline of an imported tool unless the import names one, in milliseconds. */
        @WithDefault("30000")
        long toolTimeoutMs();

        /** Deadline of connecting to and initializing a remote MCP server, in milliseconds. */
        @WithDefault("5000")
        long connectTimeoutMs();

        /** How many MCP servers one tenant may import. */
        @WithDefault("20")
        int maxServersPerTenant();

        /** Most tools imported from one server. */
        @WithDefault("100")
        int maxToolsPerServer();

        /** Longest server URL, in characters. */
        @WithDefault("2048")
        int maxUrlChars();

        /** Largest answer read from a remote MCP server (a JSON body or a whole event stream), in bytes. */
        @WithDefault("4194304")
        int maxAnswerBytes();
    }

    /** The MCP server endpoint exposing the registry. */
    McpServer mcpServer();

    /** Settings of the MCP server endpoint (/mcp). */
    interface McpServer {
        /** How many (tenant, agent type) callers' visible tool sets are remembered. */
        @WithDefault("1000")
        int maxCachedCallers();

        /** Longest text of one tool result sent to an MCP client, in characters. */
        @WithDefault("1048576")
        int maxResultChars();
    }

    /** Where read_logs reads and its bounds. */
    Logs logs();

    /** Settings of read_logs. */
    interface Logs {
        /** Directory of the service logs, {@code <dir>/<service>.log} (deploy/devloop passes -Ddevloop.state). */
        @WithDefault("${devloop.state:.devloop}/services")
        String dir();

        /** Services whose logs may be read. */
        @WithDefault("api-gateway,agent-service,knowledge-service,tool-service,provider-gateway")
        Set<String> services();

        /** Lines returned when the call names none. */
        @WithDefault("100")
        int defaultLines();

        /** Bytes read from the end of a log. */
        @WithDefault("4194304")
        int maxScanBytes();

        /** Longest line kept, in characters. */
        @WithDefault("2000")
        int maxLineChars();

        /** Time the 'contains' expression may spend over one read, in milliseconds. */
        @WithDefault("1000")
        long regexBudgetMs();
    }

    /** What the repair tools (clear_cache, update_config, restart_service, reset_circuit) act on. */
    Operations operations();

    /** Settings of the repair tools. */
    interface Operations {
        /** Tenants whose agents may take platform-wide actions (restart a service, change a platform setting). */
        Optional<Set<String>> operatorTenants();

        /** Deadline of one call to an owner's administrative endpoint, in milliseconds. */
        @WithDefault("10000")
        long timeoutMs();

        /** Largest owner answer kept, in bytes. */
        @WithDefault("16384")
        int maxAnswerBytes();

        /** Caches clear_cache may drop, by name: the owner's endpoint. */
        Map<String, Endpoint> caches();

        /** Settings update_config may change, by key: the owner's endpoint and the value's type. */
        Map<String, Setting> settings();

        /** Where reset_circuit asks provider-gateway to close a provider's circuit breaker. */
        Circuits circuits();

        /** Settings of reset_circuit. */
        interface Circuits {
            /** The owner's reset endpoint (POST); {@code {provider}} is replaced by the URL-encoded provider name. */
            @WithDefault("http://127.0.0.1:8084/v1/providers/{provider}/circuit/reset")
            String url();

            /** The service serving {@link #url()}: the audience of the call's credential. */
            @WithDefault("provider-gateway")
            String service();
        }

        /** What dead_letters and replay_dead_letters may read and replay. */
        DeadLetters deadLetters();

        /** Settings of the dead-letter tools. */
        interface DeadLetters {
            /** The dead-letter topics the tools may name (the services' {@code *.dlq} topics, prefix included). */
            Set<String> topics();

            /** The consumer group whose committed offsets mark what was replayed. */
            @WithDefault("devloop-dlq-replay")
            String group();

            /** Most bytes (keys, values, headers) one replay reads. */
            @WithDefault("8388608")
            long maxBytes();

            /** Longest time one call spends reading the topic, in milliseconds. */
            @WithDefault("20000")
            long readTimeLimitMs();

            /** Longest wait for the broker's acknowledgement of the republished records, in milliseconds. */
            @WithDefault("15000")
            long ackTimeoutMs();

            /** Samples dead_letters shows. */
            @WithDefault("10")
            int samples();

            /** Characters of a sample's key, payload preview and cause. */
            @WithDefault("200")
            int previewChars();
        }

        /** The runner restart_service asks. */
        Restart restart();

        /**
         * Where restart_service and read_logs act: {@code local} (deploy/devloop's runner command and log files)
         * or {@code kubernetes} (the Deployment and pods of the service through the API server).
         */
        @WithDefault("local")
        String platform();

        /** The Kubernetes adapters' settings (platform=kubernetes). */
        Kubernetes kubernetes();

        /** Settings of the Kubernetes adapters. */
        interface Kubernetes {
            /** Namespace of Devloop's services; default: the service-account namespace file, then the client's. */
            Optional<String> namespace();

            /** The service-account namespace file. */
            @WithDefault("/var/run/secrets/kubernetes.io/serviceaccount/namespace")
            String namespaceFile();

            /**
             * The Helm release: Deployments are {@code <release>-<service>} and pods also carry
             * {@code app.kubernetes.io/instance=<release>}; unset → Deployment = the service name.
             */
            Optional<String> release();

            /** Most pods of one service whose logs are read (newest first). */
            @WithDefault("5")
            int maxPods();

            /** tailLines of each pod log request. */
            @WithDefault("2000")
            int logTailLines();

            /** sinceSeconds of each pod log request. */
            @WithDefault("3600")
            int logSinceSeconds();

            /** limitBytes of each pod log request: a ceiling on the transfer (the last logs.max-scan-bytes are kept). */
            @WithDefault("8388608")
            int logMaxReadBytes();
        }

        /** An owner's endpoint. */
        interface Endpoint {
            @WithDefault("DELETE")
            String method();

            String url();

            /**
             * The Devloop service serving {@link #url()} (a name of {@code devloop.tools.network.services}): the
             * audience of the call's credential. Unset: the service whose configured URL has the same origin.
             */
            Optional<String> service();
        }

        /** One changeable setting. */
        interface Setting {
            @WithDefault("PUT")
            String method();

            String url();

            /** The Devloop service serving {@link #url()}, as for a cache's endpoint. */
            Optional<String> service();

            /** integer, boolean, string or enum. */
            String type();

            Optional<Long> min();

            Optional<Long> max();

            Optional<List<String>> values();

            @WithDefault("256")
            int maxLength();

            /** True when the setting applies to every tenant: only operator tenants may change it. */
            @WithDefault("false")
            boolean platform();
        }

        /** The runner. */
        interface Restart {
            /** The local runner's command, service name appended, e.g. {@code /repo/deploy/devloop,restart}. */
            Optional<List<String>> command();

            /** Services that may be restarted. */
            @WithDefault("api-gateway,agent-service,knowledge-service,provider-gateway")
            Set<String> services();

            /** Least time between two restarts of one service, in milliseconds. */
            @WithDefault("300000")
            long cooldownMs();

            /** How long a call waits for the runner before answering "restarting", in milliseconds. */
            @WithDefault("50000")
            long waitMs();

            /** Runner output kept, in characters. */
            @WithDefault("4000")
            int maxOutputChars();
        }
    }

    /** Per-tenant tool call quotas, counted in Redis. */
    Quota quota();

    /** Settings of the per-tenant quota. */
    interface Quota {
        @WithDefault("true")
        boolean enabled();

        /** Calls per tenant per minute (0 = unlimited). */
        @WithDefault("600")
        long perMinute();

        /** Calls per tenant per day (0 = unlimited). */
        @WithDefault("100000")
        long perDay();

        /** Overrides by tenant. */
        Map<String, TenantQuota> tenants();

        /** One tenant's ceilings. */
        interface TenantQuota {
            Optional<Long> perMinute();

            Optional<Long> perDay();
        }
    }
}
