// Asserts the mutual TLS of the rendered manifests (values tls.mtls, k8s/README.md "mTLS between services") against
// what the services' code and application.properties say:
//  - the images: every service's application.properties sets quarkus.http.ssl.client-auth=request (a BUILD-TIME
//    property: env cannot set it; `request` lets kubelet and Prometheus in without a certificate) and keeps /q/ on the
//    main port (no quarkus.management.enabled=true); contracts' IdentityConfig reads the env vars the chart sets
//    (DEVLOOP_IDENTITY_CLIENT_CERTIFICATE, whose value must be a ClientCertificates.Mode, and DEVLOOP_TLS_CONFIGURATION);
//  - one cert-manager Certificate per service: commonName = the service id (the client identity the identity filter
//    binds to the token's azp), its Service names (.<ns>, .<ns>.svc, .<ns>.svc.<domain>) as dnsNames, usages server
//    auth AND client auth, a Secret of its own;
//  - every service Deployment mounts ONLY its own certificate Secret (tls.crt, tls.key, ca.crt), read-only at
//    /etc/devloop/mtls, no subPath (a renewed Secret must reach the pod); no other pod mounts it;
//  - its environment: the TLS registry configuration `cell` on those files with a reload period; the HTTP server on it,
//    HTTPS only on the container port; DEVLOOP_TLS_CONFIGURATION=cell; DEVLOOP_IDENTITY_CLIENT_CERTIFICATE=required;
//    no dead build-time settings (QUARKUS_HTTP_SSL_CLIENT_AUTH, QUARKUS_MANAGEMENT_*);
//  - every URL the service's configuration resolves to (application.properties with the pod's env and, for the
//    gateway, its routing.properties) that names a Devloop service is https to a name in that service's certificate —
//    sibling URLs, health targets, cross-cell URLs; none left http, none on 127.0.0.1;
//  - every Quarkus REST client whose URL is such a service on the `cell` TLS configuration;
//  - startup, liveness and readiness probes HTTPS /q/health* on the API port; no `management` port anywhere;
//    ServiceMonitors scrape https with the service's CA (its certificate Secret's ca.crt) and its serverName.
// A render with mTLS off must carry none of it (no Certificate, no TLS env, no https service URL, HTTP probes).
// Usage: node mtls.mjs rendered-a.yaml [rendered-b.yaml ...]   (at least one must have mTLS on)
//        node mtls.mjs --mutate KIND rendered.yaml   the same check on a copy broken as KIND, which must fail (MUTATIONS)
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import yaml from "js-yaml";
import { parseProperties } from "./properties.mjs";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const SERVICES = ["api-gateway", "agent-service", "knowledge-service", "tool-service", "provider-gateway"];
const MUTATIONS = {
  "other-secret": "agent-service's pod mounts tool-service's certificate Secret",
  "http-sibling": "agent-service's DEVLOOP_TOOL_SERVICE_URL left http",
  "http-health": "agent-service without its https health targets (its default reads itself on http://127.0.0.1)",
  "plain-rest-client": "tool-service's knowledge-service-health REST client without the cell TLS configuration",
  "optional-client-certificate": "knowledge-service accepts internal calls without a client certificate",
  "no-tls-configuration": "api-gateway's own HTTP clients without the cell TLS configuration",
  "release-cn": "agent-service's certificate named after its Service, not the service id",
  "http-probe": "provider-gateway's readiness probe over plain HTTP",
  "management-probe": "knowledge-service's liveness probe on a management port 9000",
  "plain-scrape": "tool-service's ServiceMonitor scraping without TLS",
};
const DIR = "/etc/devloop/mtls";
const TLS_ENV = {
  QUARKUS_TLS__CELL__KEY_STORE_PEM__0__CERT: `${DIR}/tls.crt`,
  QUARKUS_TLS__CELL__KEY_STORE_PEM__0__KEY: `${DIR}/tls.key`,
  QUARKUS_TLS__CELL__TRUST_STORE_PEM_CERTS: `${DIR}/ca.crt`,
  QUARKUS_HTTP_TLS_CONFIGURATION_NAME: "cell",
  QUARKUS_HTTP_INSECURE_REQUESTS: "disabled",
};
// settings holding URLs the service does not call (browser origins)
const NOT_CALLED = /(^|\.)cors\.origins$|^env DEVLOOP_CORS_ORIGINS$/;
const DEAD_ENV = /^(QUARKUS_HTTP_SSL_CLIENT_AUTH|QUARKUS_MANAGEMENT_[A-Z_]+)$/;

function fail0(message) {
  console.error(`mtls: ${message}`);
  process.exit(2);
}

// ---- what the code says -------------------------------------------------------------------------------------------


const PROPERTIES = Object.fromEntries(
  SERVICES.map((s) => [s, parseProperties(readFileSync(join(ROOT, s, "src/main/resources/application.properties"), "utf8"))]),
);

/** The env var SmallRye maps a property to. */
const envName = (key) => key.replace(/[^A-Za-z0-9]/g, "_").toUpperCase();

// the identity settings the chart sets, as contracts reads them
const identityConfig = readFileSync(join(ROOT, "contracts/src/main/java/dev/devloop/contracts/identity/IdentityConfig.java"), "utf8");
for (const name of ["DEVLOOP_IDENTITY_CLIENT_CERTIFICATE", "DEVLOOP_TLS_CONFIGURATION"]) {
  if (!identityConfig.includes(`"\${${name}:`)) fail0(`contracts' IdentityConfig no longer reads ${name}: the chart's setting would be ignored`);
}
const modes = readFileSync(join(ROOT, "contracts/src/main/java/dev/devloop/contracts/identity/ClientCertificates.java"), "utf8")
  .match(/enum Mode\s*\{([^}]*)\}/)?.[1]
  ?.split(",").map((m) => m.trim().toLowerCase()).filter(Boolean);
if (!modes?.includes("required")) fail0(`ClientCertificates.Mode has no REQUIRED (found ${modes}): DEVLOOP_IDENTITY_CLIENT_CERTIFICATE=required would not start`);

// the images: build-time settings the chart relies on and cannot set
function imageProblems() {
  const problems = [];
  for (const svc of SERVICES) {
    const p = PROPERTIES[svc];
    const clientAuth = p["quarkus.http.ssl.client-auth"];
    if (String(clientAuth).toLowerCase() !== "request") {
      problems.push(`${svc}: application.properties has quarkus.http.ssl.client-auth=${clientAuth ?? "(unset: none)"}, ` +
        "expected request (build time: without it no client certificate reaches the identity filter, every internal call is refused)");
    }
    if (String(p["quarkus.management.enabled"]).toLowerCase() === "true") {
      problems.push(`${svc}: quarkus.management.enabled=true moves /q/ off the API port the probes and ServiceMonitors use`);
    }
  }
  return problems;
}

// ---- resolving a service's configuration with a pod's env ---------------------------------------------------------

/** Expands ${name} / ${name:default} (nested) with lookup(name). */
function expand(value, lookup, depth = 0) {
  if (depth > 20) return value;
  let out = "";
  for (let i = 0; i < value.length; i++) {
    if (value[i] === "$" && value[i + 1] === "{") {
      let level = 0;
      let j = i + 1;
      for (; j < value.length; j++) {
        if (value[j] === "{") level++;
        else if (value[j] === "}" && --level === 0) break;
      }
      const inner = value.slice(i + 2, j);
      let colon = -1;
      for (let k = 0, l = 0; k < inner.length; k++) {
        if (inner[k] === "{") l++;
        else if (inner[k] === "}") l--;
        else if (inner[k] === ":" && l === 0) {
          colon = k;
          break;
        }
      }
      const name = colon < 0 ? inner : inner.slice(0, colon);
      const found = lookup(name, depth + 1);
      out += found ?? (colon < 0 ? "" : expand(inner.slice(colon + 1), lookup, depth + 1));
      i = j;
    } else out += value[i];
  }
  return out;
}

/** Every property of a service as its pod resolves it: env over (routing.properties over) application.properties. */
function resolvedConfig(props, env) {
  const lookup = (name, depth) => {
    if (env[name] !== undefined) return expand(String(env[name]), lookup, depth);
    if (env[envName(name)] !== undefined) return expand(String(env[envName(name)]), lookup, depth);
    if (props[name] !== undefined) return expand(props[name], lookup, depth);
    return undefined;
  };
  return Object.fromEntries(Object.keys(props).map((k) => [k, lookup(k, 0)]));
}

// ---- the rendered manifests ---------------------------------------------------------------------------------------

function mutate(kind, docs) {
  const deployment = (svc) => docs.find((d) => d.kind === "Deployment" && d.spec.template.spec.containers.some((c) => c.name === svc));
  const container = (svc) => deployment(svc)?.spec.template.spec.containers.find((c) => c.name === svc);
  const configMap = (svc) => {
    const name = container(svc)?.envFrom?.find((f) => f.configMapRef)?.configMapRef.name;
    return docs.find((d) => d.kind === "ConfigMap" && d.metadata.name === name)?.data ?? {};
  };
  const component = (d, svc) => d.metadata?.labels?.["app.kubernetes.io/name"] === svc;
  if (kind === "other-secret") {
    const own = deployment("agent-service")?.spec.template.spec.volumes.find((v) => v.name === "mtls");
    const theirs = deployment("tool-service")?.spec.template.spec.volumes.find((v) => v.name === "mtls");
    if (own && theirs) own.secret.secretName = theirs.secret.secretName;
  } else if (kind === "http-sibling") {
    const data = configMap("agent-service");
    if (data.DEVLOOP_TOOL_SERVICE_URL) data.DEVLOOP_TOOL_SERVICE_URL = data.DEVLOOP_TOOL_SERVICE_URL.replace(/^https:/, "http:");
  } else if (kind === "http-health") {
    delete configMap("agent-service").DEVLOOP_AGENT_SYSTEM_HEALTH_COMPONENTS;
  } else if (kind === "plain-rest-client") {
    delete configMap("tool-service").QUARKUS_REST_CLIENT__KNOWLEDGE_SERVICE_HEALTH__TLS_CONFIGURATION_NAME;
  } else if (kind === "optional-client-certificate") {
    configMap("knowledge-service").DEVLOOP_IDENTITY_CLIENT_CERTIFICATE = "optional";
  } else if (kind === "no-tls-configuration") {
    delete configMap("api-gateway").DEVLOOP_TLS_CONFIGURATION;
  } else if (kind === "release-cn") {
    const cert = docs.find((d) => d.kind === "Certificate" && component(d, "agent-service"));
    if (cert) cert.spec.commonName = cert.spec.dnsNames[0];
  } else if (kind === "http-probe") {
    const probe = container("provider-gateway")?.readinessProbe?.httpGet;
    if (probe) delete probe.scheme;
  } else if (kind === "management-probe") {
    const c = container("knowledge-service");
    if (c) {
      c.ports.push({ name: "management", containerPort: 9000, protocol: "TCP" });
      c.livenessProbe.httpGet = { path: "/q/health/live", port: "management" };
    }
  } else if (kind === "plain-scrape") {
    const sm = docs.find((d) => d.kind === "ServiceMonitor" && component(d, "tool-service"));
    for (const e of sm?.spec.endpoints ?? []) {
      delete e.scheme;
      delete e.tlsConfig;
    }
  }
}

const args = process.argv.slice(2);
let mutation = null;
if (args[0] === "--mutate") {
  mutation = args[1];
  if (!MUTATIONS[mutation]) fail0(`--mutate takes one of ${Object.keys(MUTATIONS).join(", ")}`);
  args.splice(0, 2);
}
let failures = 0;
let mtlsFiles = 0;
let checked = 0;
let urlsChecked = 0;

for (const file of args) {
  const docs = yaml.loadAll(readFileSync(file, "utf8")).filter((d) => d && typeof d === "object");
  if (mutation) {
    const before = JSON.stringify(docs);
    mutate(mutation, docs);
    if (JSON.stringify(docs) === before) fail0(`${file}: --mutate ${mutation} found nothing to break (${MUTATIONS[mutation]})`);
  }
  const fail = (where, message) => {
    console.error(`${file}: ${where}: ${message}`);
    failures++;
  };
  const configMaps = new Map(docs.filter((d) => d.kind === "ConfigMap").map((d) => [d.metadata.name, d.data ?? {}]));
  const certificates = docs.filter((d) => d.kind === "Certificate" && d.apiVersion?.startsWith("cert-manager.io/"));
  const deployments = docs.filter((d) => d.kind === "Deployment");
  const serviceOf = new Map(); // component -> its Kubernetes Service
  for (const s of docs.filter((d) => d.kind === "Service")) {
    const component = s.metadata.labels?.["app.kubernetes.io/name"];
    if (SERVICES.includes(component)) serviceOf.set(component, s);
  }
  const containers = []; // [deployment, container] of the services
  for (const doc of deployments) {
    for (const c of doc.spec?.template?.spec?.containers ?? []) if (SERVICES.includes(c.name)) containers.push([doc, c]);
  }
  const envOf = (container) => {
    const env = {};
    for (const from of container.envFrom ?? []) {
      if (from.configMapRef) Object.assign(env, configMaps.get(from.configMapRef.name) ?? {});
    }
    for (const e of container.env ?? []) env[e.name] = e.value ?? "(from a reference)";
    return env;
  };
  const portOf = (c, port) => (typeof port === "string" ? (c.ports ?? []).find((p) => p.name === port)?.containerPort : port);
  // a port named `management` anywhere (containers, Services, probes, ServiceMonitors) is the old design's leftover
  const managementPorts = JSON.stringify(docs).match(/"(name|port|targetPort)":"management"/g)?.length ?? 0;
  const mtls = certificates.length > 0;

  if (!mtls) {
    for (const [doc, c] of containers) {
      const where = `Deployment/${doc.metadata.name}`;
      for (const [k, v] of Object.entries(envOf(c))) {
        if (k.startsWith("QUARKUS_TLS__") || k.startsWith("QUARKUS_HTTP_TLS") || DEAD_ENV.test(k) || k.includes("TLS_CONFIGURATION")
          || k === "DEVLOOP_IDENTITY_CLIENT_CERTIFICATE" || k === "QUARKUS_HTTP_INSECURE_REQUESTS") {
          fail(where, `${k} set although no Certificate is rendered (mTLS off)`);
        }
        if (/^DEVLOOP_[A-Z_]+_URL$/.test(k) && String(v).startsWith("https://")) fail(where, `${k} is https with mTLS off`);
      }
      if ((doc.spec.template.spec.volumes ?? []).some((v) => v.name === "mtls")) fail(where, "mounts an mtls volume with mTLS off");
      for (const probe of ["startupProbe", "livenessProbe", "readinessProbe"]) {
        if ((c[probe]?.httpGet?.scheme ?? "HTTP") !== "HTTP") fail(where, `${probe} is not plain HTTP with mTLS off`);
      }
    }
    if (managementPorts) fail("ports", `${managementPorts} port(s) named management with mTLS off`);
    console.log(`mtls: ${file}: mTLS off (no Certificate), services checked for TLS leftovers`);
    continue;
  }
  mtlsFiles++;
  if (managementPorts) fail("ports", `${managementPorts} port(s) named management: the images have no management interface, /q/ is on the API port`);

  // the Certificates: one per service Service, commonName the service id, both usages, their own Secret
  const certOf = new Map(); // component -> Certificate spec
  const secretOwners = new Map(); // secretName -> component
  for (const svc of SERVICES) {
    const service = serviceOf.get(svc);
    if (!service) {
      fail("Services", `no Service for ${svc}`);
      continue;
    }
    const name = service.metadata.name;
    const mine = certificates.filter((c) => (c.spec?.dnsNames ?? []).includes(name));
    const where = `Certificate for Service/${name}`;
    if (mine.length !== 1) {
      fail(where, `${mine.length} Certificates name ${name}, expected exactly one`);
      continue;
    }
    const cert = mine[0].spec;
    const dns = cert.dnsNames ?? [];
    if (cert.commonName !== svc) {
      fail(where, `commonName is ${cert.commonName}, expected the service id ${svc} (the identity filter matches it against the token's azp)`);
    }
    if (!dns.some((d) => new RegExp(`^${name}\\.[a-z0-9-]+\\.svc$`).test(d))) fail(where, `no ${name}.<namespace>.svc among dnsNames ${dns.join(", ")}`);
    if (!dns.some((d) => new RegExp(`^${name}\\.[a-z0-9-]+\\.svc\\.[a-z0-9.-]+$`).test(d))) fail(where, `no ${name}.<namespace>.svc.<domain> among dnsNames`);
    for (const usage of ["server auth", "client auth"]) if (!(cert.usages ?? []).includes(usage)) fail(where, `usages lack '${usage}'`);
    if (!cert.issuerRef?.name) fail(where, "no issuerRef");
    if (cert.privateKey?.algorithm === "ECDSA" && cert.privateKey?.encoding !== "PKCS8") fail(where, "an ECDSA key not in PKCS8 (the TLS registry cannot read SEC1)");
    if (secretOwners.has(cert.secretName)) fail(where, `Secret ${cert.secretName} is also ${secretOwners.get(cert.secretName)}'s`);
    certOf.set(svc, cert);
    secretOwners.set(cert.secretName, svc);
  }
  // which Devloop service a URL host names: a Service of this render (any .ns form), another cell's <release>-<service>
  const serviceNamed = (host) => {
    const label = host.split(".")[0];
    return SERVICES.find((s) => label === s || label.endsWith(`-${s}`));
  };
  const apiPorts = new Set(SERVICES.map((s) => serviceOf.get(s)?.spec?.ports?.[0]?.port).filter(Boolean).map(String));

  // the gateway's routing.properties (QUARKUS_CONFIG_LOCATIONS): the other cells' URLs
  const routingOf = (doc, c) => {
    const mount = (c.volumeMounts ?? []).find((m) => m.mountPath === "/etc/devloop/routing");
    const volume = mount && (doc.spec.template.spec.volumes ?? []).find((v) => v.name === mount.name);
    const text = volume?.configMap && configMaps.get(volume.configMap.name)?.["routing.properties"];
    return text ? parseProperties(text) : {};
  };

  const seen = new Set();
  for (const [doc, c] of containers) {
    const pod = doc.spec.template.spec;
    const svc = c.name;
    const where = `Deployment/${doc.metadata.name} (${svc})`;
    seen.add(svc);
    checked++;
    // only its own certificate Secret, items, read-only mount, no subPath
    for (const v of pod.volumes ?? []) {
      const owner = secretOwners.get(v.secret?.secretName);
      if (owner && owner !== svc) fail(where, `volume ${v.name} mounts ${owner}'s certificate Secret ${v.secret.secretName}`);
    }
    for (const e of c.env ?? []) {
      const owner = secretOwners.get(e.valueFrom?.secretKeyRef?.name);
      if (owner && owner !== svc) fail(where, `${e.name} reads ${owner}'s certificate Secret`);
    }
    for (const from of c.envFrom ?? []) {
      if (from.secretRef && secretOwners.has(from.secretRef.name)) fail(where, `envFrom takes the certificate Secret ${from.secretRef.name}`);
    }
    const mount = (c.volumeMounts ?? []).find((m) => m.mountPath === DIR);
    const volume = mount && (pod.volumes ?? []).find((v) => v.name === mount.name);
    if (!mount) fail(where, `nothing mounted at ${DIR}`);
    else {
      if (mount.readOnly !== true) fail(where, `${DIR} is not read-only`);
      if (mount.subPath || mount.subPathExpr) fail(where, `${DIR} is mounted with a subPath (a renewed certificate would not reach the pod)`);
      if (volume?.secret?.secretName !== certOf.get(svc)?.secretName) {
        fail(where, `${DIR} holds Secret ${volume?.secret?.secretName}, not its own certificate ${certOf.get(svc)?.secretName}`);
      }
      const items = (volume?.secret?.items ?? []).map((i) => `${i.key}->${i.path}`).sort().join(", ");
      if (items !== "ca.crt->ca.crt, tls.crt->tls.crt, tls.key->tls.key") fail(where, `certificate items are [${items}]`);
    }

    // the TLS environment
    const env = envOf(c);
    for (const [k, want] of Object.entries(TLS_ENV)) if (env[k] !== want) fail(where, `${k} is ${env[k]}, expected ${want}`);
    if (!env.QUARKUS_TLS__CELL__RELOAD_PERIOD) fail(where, "no QUARKUS_TLS__CELL__RELOAD_PERIOD (a renewed certificate would not be re-read)");
    const apiPort = (c.ports ?? []).find((p) => p.name === "https")?.containerPort;
    if (!apiPort || String(env.QUARKUS_HTTP_SSL_PORT) !== String(apiPort)) {
      fail(where, `QUARKUS_HTTP_SSL_PORT ${env.QUARKUS_HTTP_SSL_PORT} is not the container port named https (${apiPort})`);
    }
    if (env.DEVLOOP_TLS_CONFIGURATION !== "cell") {
      fail(where, `DEVLOOP_TLS_CONFIGURATION is ${env.DEVLOOP_TLS_CONFIGURATION}, expected cell (the service's own HTTP clients would present no certificate)`);
    }
    if (String(env.DEVLOOP_IDENTITY_CLIENT_CERTIFICATE).toLowerCase() !== "required") {
      fail(where, `DEVLOOP_IDENTITY_CLIENT_CERTIFICATE is ${env.DEVLOOP_IDENTITY_CLIENT_CERTIFICATE}, expected required (calls without the caller's certificate would pass)`);
    }
    for (const k of Object.keys(env)) if (DEAD_ENV.test(k)) fail(where, `${k}: a build-time setting, env cannot change it`);

    // every URL its configuration resolves to that names a Devloop service: https, to a name in its certificate
    const props = { ...PROPERTIES[svc], ...routingOf(doc, c) };
    const config = resolvedConfig(props, env);
    const values = { ...config };
    for (const [k, v] of Object.entries(env)) values[`env ${k}`] = String(v);
    for (const [k, v] of Object.entries(values)) {
      if (NOT_CALLED.test(k)) continue;
      for (const m of String(v ?? "").matchAll(/\b(https?):\/\/([A-Za-z0-9.-]+)(?::(\d+))?/g)) {
        const [, scheme, host, port] = m;
        const named = serviceNamed(host);
        const loopback = ["127.0.0.1", "localhost", "0.0.0.0"].includes(host) && apiPorts.has(port);
        if (!named && !loopback) continue;
        urlsChecked++;
        if (loopback) fail(where, `${k} = ${v}: a Devloop service on ${host}:${port} (no https there: the certificate names Services only)`);
        else if (scheme !== "https") fail(where, `${k} = ${v}: ${named} over plain http`);
        else if (serviceOf.get(named)?.metadata.name === host.split(".")[0] && !(certOf.get(named)?.dnsNames ?? []).includes(host)) {
          fail(where, `${k} = ${v}: ${host} is not among ${named}'s certificate names`);
        }
      }
    }
    // every Quarkus REST client on such a URL presents the service's certificate
    for (const [key, url] of Object.entries(config)) {
      const client = key.match(/^quarkus\.rest-client\.("?)([^".]+)\1\.url$/)?.[2];
      if (!client || !serviceNamed(String(url).match(/^https?:\/\/([A-Za-z0-9.-]+)/)?.[1] ?? "")) continue;
      const tls = config[`quarkus.rest-client.${client}.tls-configuration-name`] ?? config[`quarkus.rest-client."${client}".tls-configuration-name`]
        ?? env[`QUARKUS_REST_CLIENT__${client.toUpperCase().replaceAll("-", "_")}__TLS_CONFIGURATION_NAME`];
      if (tls !== "cell") fail(where, `REST client ${client} (${url}) is not on the TLS configuration 'cell' (it would present no certificate)`);
    }

    // probes: HTTPS /q/health* on the API port
    for (const probe of ["startupProbe", "livenessProbe", "readinessProbe"]) {
      const get = c[probe]?.httpGet;
      if (!get) fail(where, `no ${probe}.httpGet`);
      else if (portOf(c, get.port) !== apiPort || get.scheme !== "HTTPS" || !get.path?.startsWith("/q/health")) {
        fail(where, `${probe} is ${get.scheme ?? "HTTP"} ${get.path} on port ${get.port}, expected HTTPS /q/health* on the API port ${apiPort}`);
      }
    }
  }
  for (const svc of SERVICES) if (!seen.has(svc)) fail("Deployments", `no ${svc} container found`);

  // ServiceMonitors: https, the service's CA, its name
  for (const sm of docs.filter((d) => d.kind === "ServiceMonitor")) {
    const svc = sm.spec?.selector?.matchLabels?.["app.kubernetes.io/name"];
    const where = `ServiceMonitor/${sm.metadata.name}`;
    const cert = certOf.get(svc);
    const httpsPort = serviceOf.get(svc)?.spec?.ports?.find((p) => p.name === "https");
    for (const e of sm.spec?.endpoints ?? []) {
      if (!httpsPort || e.port !== httpsPort.name) fail(where, `scrapes port ${e.port}, not the Service's https port`);
      if (e.scheme !== "https") fail(where, `scheme ${e.scheme ?? "http"}, the port speaks HTTPS only`);
      const ca = e.tlsConfig?.ca?.secret;
      if (ca?.name !== cert?.secretName || ca?.key !== "ca.crt") fail(where, `tlsConfig.ca is ${JSON.stringify(e.tlsConfig?.ca)}, expected ca.crt of ${cert?.secretName}`);
      if (!(cert?.dnsNames ?? []).includes(e.tlsConfig?.serverName)) fail(where, `tlsConfig.serverName ${e.tlsConfig?.serverName} is not a name of ${svc}'s certificate`);
      if (e.tlsConfig?.insecureSkipVerify) fail(where, "tlsConfig.insecureSkipVerify");
    }
  }
  console.log(`mtls: ${file}: mTLS on, ${certificates.length} Certificates, ${seen.size} services`);
}

// the images must be built for this contract (only matters once a render turns mTLS on)
if (mtlsFiles > 0) {
  for (const problem of imageProblems()) {
    console.error(`mtls: image: ${problem}`);
    failures++;
  }
}
if (mtlsFiles === 0) {
  console.error("mtls: no rendered file has mTLS on (no Certificate): nothing proves it");
  failures++;
}
console.log(`mtls: ${mtlsFiles} mTLS renders, ${checked} service Deployments, ${urlsChecked} service URLs checked, ${failures} problems`);
process.exit(failures === 0 ? 0 : 1);
