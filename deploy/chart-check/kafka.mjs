// Asserts the Kafka authentication of the rendered manifests (values kafka.sasl, k8s/README.md "Kafka authentication")
// against what the code says each service does on Kafka:
//  - the producer table, contracts dev.devloop.contracts.events.EventProducers (+ Topics);
//  - each service's application.properties: the topics and consumer groups it reads, the .dlq topics its consumers
//    dead-letter to, the topics its outgoing channels write; tool-service's replay_dead_letters allow-list and group.
// With SASL on, every service container has KAFKA_SECURITY_PROTOCOL, KAFKA_SASL_MECHANISM and KAFKA_SASL_JAAS_CONFIG,
// the password expanded from an earlier env var that reads ITS OWN key of the users Secret (no other key, no admin
// credential, nothing in a ConfigMap); the ACL Job grants each service principal exactly: WRITE+DESCRIBE on the
// topics it produces (+ its .dlq topics, + tool-service's replay originals), READ+DESCRIBE on the topics it reads,
// READ on its groups (a subscribing group carries the cell prefix; a prefixed ACL only where the group id carries a
// per-replica uuid), IdempotentWrite on the cluster
// when it writes; no wildcard or prefixed topic ACL, no DENY, nothing else; outside producers only WRITE devloop.agent.tasks.
// In every file, each Kafka CLI call of a Job or CronJob that reaches the brokers passes --command-config.
// Usage: node kafka.mjs rendered-a.yaml [rendered-b.yaml ...]   (at least one must have SASL on)
//        node kafka.mjs --mutate KIND rendered.yaml   the same check on a copy broken as KIND, which must fail:
//          shared-password (a pod reads another service's key), wildcard (a topic '*' ACL), extra-write (a service
//          may write a topic it does not produce), no-command-config (the topics Job without --command-config)
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import yaml from "js-yaml";
import { parseProperties } from "./properties.mjs";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const SERVICES = ["api-gateway", "agent-service", "knowledge-service", "tool-service", "provider-gateway"];
const MUTATIONS = ["shared-password", "wildcard", "extra-write", "no-command-config"];

// ---- what the code says -------------------------------------------------------------------------------------------

function javaSource(path) {
  return readFileSync(join(ROOT, path), "utf8");
}

function producerTable() {
  const topics = {};
  for (const m of javaSource("contracts/src/main/java/dev/devloop/contracts/Topics.java").matchAll(
    /static final String (\w+) = "([^"]+)"/g,
  )) {
    topics[m[1]] = m[2];
  }
  const src = javaSource("contracts/src/main/java/dev/devloop/contracts/events/EventProducers.java");
  const producers = {};
  for (const m of src.matchAll(/Map\.entry\(Topics\.(\w+),\s*Set\.of\(([^)]*)\)\)/g)) {
    const topic = topics[m[1]] ?? fail0(`EventProducers names Topics.${m[1]}, unknown in Topics.java`);
    producers[topic] = [...m[2].matchAll(/"([^"]+)"/g)].map((s) => s[1]);
  }
  const grantable = src.match(/GRANTABLE = Set\.of\(([^)]*)\)/);
  const grantableTopics = grantable
    ? grantable[1].split(",").map((s) => topics[s.trim().replace(/^Topics\./, "")]).filter(Boolean)
    : [];
  if (Object.keys(producers).length === 0) fail0("no producer table parsed from EventProducers.java");
  return { producers, grantableTopics };
}

function fail0(message) {
  console.error(`kafka: ${message}`);
  process.exit(2);
}

// application.properties as the images see it (prod profile)
function properties(service) {
  return parseProperties(readFileSync(join(ROOT, service, "src/main/resources/application.properties"), "utf8"));
}

const unprefixed = (topic) => topic.replace(/\$\{DEVLOOP_TOPIC_PREFIX:\}/g, "");
const list = (value) => value.split(",").map((s) => unprefixed(s.trim())).filter(Boolean);

function expectedAccess() {
  const { producers, grantableTopics } = producerTable();
  const access = {};
  for (const svc of SERVICES) {
    const props = properties(svc);
    const a = {
      write: new Set(),
      read: new Set(),
      cellGroups: new Set(),
      groups: new Set(),
      groupPrefixes: new Set(),
      outgoing: new Set(),
    };
    for (const [topic, who] of Object.entries(producers)) if (who.includes(svc)) a.write.add(topic);
    const incoming = new Set();
    const outgoing = new Set();
    for (const key of Object.keys(props)) {
      const m = key.match(/^mp\.messaging\.(incoming|outgoing)\.([^.]+)\.connector$/);
      if (m && props[key] === "smallrye-kafka") (m[1] === "incoming" ? incoming : outgoing).add(m[2]);
    }
    for (const ch of incoming) {
      const base = `mp.messaging.incoming.${ch}`;
      const topics = props[`${base}.topics`] ?? props[`${base}.topic`] ?? ch;
      for (const t of list(topics)) a.read.add(t);
      const group = props[`${base}.group.id`];
      if (!group) fail0(`${svc}: incoming channel ${ch} has no group.id`);
      const cell = "${DEVLOOP_TOPIC_PREFIX:}";
      if (group.startsWith(cell) && !group.slice(cell.length).includes("${")) a.cellGroups.add(group.slice(cell.length));
      else if (group.includes("${")) a.groupPrefixes.add(group.slice(0, group.indexOf("${")));
      else a.groups.add(group);
      const dlq = props[`${base}.dead-letter-queue.topic`];
      if (dlq) a.write.add(unprefixed(dlq));
      else if (/dead-letter/.test(props[`${base}.failure-strategy`] ?? "")) {
        fail0(`${svc}: channel ${ch} dead-letters without dead-letter-queue.topic (a default topic the ACLs miss)`);
      }
    }
    for (const ch of outgoing) a.outgoing.add(unprefixed(props[`mp.messaging.outgoing.${ch}.topic`] ?? ch));
    if (svc === "tool-service") {
      const dlqs = list(props["devloop.tools.operations.dead-letters.topics"] ?? "");
      if (dlqs.length === 0) fail0("tool-service: no devloop.tools.operations.dead-letters.topics");
      for (const t of dlqs) {
        a.read.add(t);
        a.write.add(t.replace(/\.dlq$/, ""));
      }
      const defaultGroup = javaSource("tool-service/src/main/java/dev/devloop/tools/config/ToolServiceConfig.java").match(
        /@WithDefault\("([^"]+)"\)\s*String group\(\)/,
      );
      const group = props["devloop.tools.operations.dead-letters.group"] ?? defaultGroup?.[1];
      if (!group) fail0("tool-service: the dead-letter replay group is neither configured nor defaulted");
      a.groups.add(group);
    }
    // a literal group already covered by a prefix the service holds anyway
    for (const g of [...a.groups]) if ([...a.groupPrefixes].some((p) => g.startsWith(p))) a.groups.delete(g);
    access[svc] = a;
  }
  return { access, grantableTopics };
}

// ---- the rendered manifests ---------------------------------------------------------------------------------------

function shellWords(line) {
  const words = [];
  for (const m of line.matchAll(/"((?:[^"\\]|\\.)*)"|'([^']*)'|(\S+)/g)) words.push(m[1] ?? m[2] ?? m[3]);
  return words;
}

const joined = (script) => script.replace(/\\\n\s*/g, " ");

function podSpecs(doc) {
  if (doc.kind === "CronJob") return [doc.spec?.jobTemplate?.spec?.template?.spec ?? {}];
  if (["Job", "Deployment", "StatefulSet"].includes(doc.kind)) return [doc.spec?.template?.spec ?? {}];
  return [];
}

function mutate(kind, docs) {
  const deployments = docs.filter((d) => d.kind === "Deployment");
  const aclJob = docs.find((d) => d.kind === "Job" && d.metadata.name.endsWith("-kafka-acls"));
  if (kind === "shared-password") {
    const c = deployments.flatMap((d) => d.spec.template.spec.containers).find((c) => c.name === "agent-service");
    const e = c?.env?.find((e) => e.name === "DEVLOOP_KAFKA_PASSWORD");
    if (e) e.valueFrom.secretKeyRef.key = "tool-service";
  } else if (kind === "wildcard" || kind === "extra-write") {
    const c = aclJob?.spec.template.spec.containers[0];
    const principal = c?.args[0].match(/acl "(User:[^"]*agent-service)"/)?.[1];
    const topic = kind === "wildcard" ? "*" : "devloop.provider.usage";
    if (c) c.args[0] += `\nacl "${principal}" --operation Write --operation Describe --topic "${topic}"\n`;
  } else if (kind === "no-command-config") {
    const job = docs.find((d) => d.kind === "Job" && d.metadata.name.endsWith("-kafka-topics"));
    for (const c of job?.spec.template.spec.containers ?? []) {
      c.args = c.args.map((a) => a.replaceAll('--command-config "$DEVLOOP_KAFKA_CONFIG"', ""));
    }
  }
}

const args = process.argv.slice(2);
let mutation = null;
if (args[0] === "--mutate") {
  mutation = args[1];
  if (!MUTATIONS.includes(mutation)) fail0(`--mutate takes one of ${MUTATIONS.join(", ")}`);
  args.splice(0, 2);
}
const { access, grantableTopics } = expectedAccess();
let failures = 0;
let saslFiles = 0;
let grantsChecked = 0;

for (const file of args) {
  const docs = yaml.loadAll(readFileSync(file, "utf8")).filter((d) => d && typeof d === "object");
  if (mutation) mutate(mutation, docs);
  const fail = (where, message) => {
    console.error(`${file}: ${where}: ${message}`);
    failures++;
  };
  const configMaps = new Map(docs.filter((d) => d.kind === "ConfigMap").map((d) => [d.metadata.name, d.data ?? {}]));
  const aclJob = docs.find((d) => d.kind === "Job" && d.metadata.name.endsWith("-kafka-acls"));
  const sasl = Boolean(aclJob);

  // every Kafka CLI call of a Job or CronJob that reaches the brokers passes --command-config
  for (const doc of docs.filter((d) => d.kind === "Job" || d.kind === "CronJob")) {
    for (const pod of podSpecs(doc)) {
      for (const c of [...(pod.initContainers ?? []), ...(pod.containers ?? [])]) {
        const script = joined([...(c.command ?? []), ...(c.args ?? [])].join("\n"));
        for (const line of script.split("\n")) {
          if (/kafka-[a-z-]+\.sh\b/.test(line) && line.includes("--bootstrap-server") && !line.includes("--command-config")) {
            fail(`${doc.kind}/${doc.metadata.name} (${c.name})`, `a Kafka CLI call without --command-config: ${line.trim()}`);
          }
          if (sasl && /kafka-[a-z-]+\.sh\b/.test(line) && line.includes("--bootstrap-server")) {
            const env = new Map((c.env ?? []).map((e) => [e.name, e]));
            if (!env.get("DEVLOOP_KAFKA_ADMIN_PASSWORD")?.valueFrom?.secretKeyRef) {
              fail(`${doc.kind}/${doc.metadata.name} (${c.name})`, "calls Kafka without the admin credential from a Secret");
            }
            if (!/sasl\.jaas\.config=/.test(script) || !/> "\$DEVLOOP_KAFKA_CONFIG"/.test(script)) {
              fail(`${doc.kind}/${doc.metadata.name} (${c.name})`, "does not write the admin credential to $DEVLOOP_KAFKA_CONFIG");
            }
          }
        }
      }
    }
  }

  if (!sasl) {
    for (const doc of docs.filter((d) => d.kind === "Deployment")) {
      for (const c of doc.spec?.template?.spec?.containers ?? []) {
        if ((c.env ?? []).some((e) => e.name.startsWith("KAFKA_SASL_"))) {
          fail(`Deployment/${doc.metadata.name}`, "KAFKA_SASL_* set although the chart renders no ACL Job (SASL off)");
        }
      }
    }
    console.log(`kafka: ${file}: SASL off (PLAINTEXT clients), Jobs checked for --command-config`);
    continue;
  }
  saslFiles++;

  // the ACL Job: the users Secret, the principal of each service (scram line + its PASSWORD_ env's key)
  const job = aclJob.spec.template.spec.containers[0];
  const jobEnv = new Map((job.env ?? []).map((e) => [e.name, e]));
  const adminRef = jobEnv.get("DEVLOOP_KAFKA_ADMIN_PASSWORD")?.valueFrom?.secretKeyRef;
  let usersSecret = null;
  const principalOf = {};
  const script = joined(job.args.join("\n"));
  const lines = script.split("\n").map((l) => l.trim());
  for (const line of lines.filter((l) => l.startsWith('scram "'))) {
    const [, user, pw] = shellWords(line);
    const ref = jobEnv.get(pw.replace(/^\$/, ""))?.valueFrom?.secretKeyRef;
    if (!ref) {
      fail(`Job/${aclJob.metadata.name}`, `scram ${user}: its password ${pw} is not read from a Secret`);
      continue;
    }
    usersSecret ??= ref.name;
    if (ref.name !== usersSecret) fail(`Job/${aclJob.metadata.name}`, `scram ${user}: Secret ${ref.name}, not ${usersSecret}`);
    if (!SERVICES.includes(ref.key)) fail(`Job/${aclJob.metadata.name}`, `scram ${user}: key ${ref.key} names no service`);
    principalOf[ref.key] = `User:${user}`;
  }
  const prefix = [...configMaps.values()].find((d) => "DEVLOOP_TOPIC_PREFIX" in d)?.DEVLOOP_TOPIC_PREFIX ?? "";

  // the service pods: three KAFKA_* vars, password from the pod's own key only
  const seen = new Set();
  for (const doc of docs.filter((d) => d.kind === "Deployment")) {
    const pod = doc.spec?.template?.spec ?? {};
    for (const c of pod.containers ?? []) {
      if (!SERVICES.includes(c.name)) continue;
      const svc = c.name;
      const where = `Deployment/${doc.metadata.name} (${svc})`;
      seen.add(svc);
      const env = c.env ?? [];
      const byName = new Map(env.map((e, i) => [e.name, { ...e, index: i }]));
      for (const name of ["KAFKA_SECURITY_PROTOCOL", "KAFKA_SASL_MECHANISM", "KAFKA_SASL_JAAS_CONFIG"]) {
        if (!byName.has(name)) fail(where, `no ${name}`);
      }
      if (!/^SASL_(SSL|PLAINTEXT)$/.test(byName.get("KAFKA_SECURITY_PROTOCOL")?.value ?? "")) {
        fail(where, `KAFKA_SECURITY_PROTOCOL is ${byName.get("KAFKA_SECURITY_PROTOCOL")?.value}`);
      }
      if (!/^SCRAM-SHA-(256|512)$/.test(byName.get("KAFKA_SASL_MECHANISM")?.value ?? "")) {
        fail(where, `KAFKA_SASL_MECHANISM is ${byName.get("KAFKA_SASL_MECHANISM")?.value}`);
      }
      const jaas = byName.get("KAFKA_SASL_JAAS_CONFIG");
      const m = (jaas?.value ?? "").match(/^org\.apache\.kafka\.common\.security\.scram\.ScramLoginModule required username="([^"]+)" password="\$\((\w+)\)";$/);
      if (!m) {
        fail(where, `KAFKA_SASL_JAAS_CONFIG is not a SCRAM login whose password is a $(VAR) reference: ${jaas?.value}`);
      } else {
        const [, user, pwVar] = m;
        if (`User:${user}` !== principalOf[svc]) fail(where, `logs in as ${user}, the ACL Job gives ${svc}'s grants to ${principalOf[svc]}`);
        const pw = byName.get(pwVar);
        const ref = pw?.valueFrom?.secretKeyRef;
        if (!pw || pw.index > jaas.index) fail(where, `${pwVar} is not defined before KAFKA_SASL_JAAS_CONFIG (no expansion)`);
        else if (!ref || ref.name !== usersSecret || ref.key !== svc) {
          fail(where, `${pwVar} reads ${ref ? `${ref.name}/${ref.key}` : "no Secret"}, expected its own key ${usersSecret}/${svc}`);
        }
      }
      // nothing else of the users or admin Secret reaches this pod
      for (const e of env) {
        const ref = e.valueFrom?.secretKeyRef;
        if (!ref) continue;
        if (ref.name === usersSecret && ref.key !== svc) fail(where, `${e.name} reads another principal's key ${ref.name}/${ref.key}`);
        if (adminRef && ref.name === adminRef.name && ref.key === adminRef.key) fail(where, `${e.name} reads the Kafka admin credential`);
      }
      for (const from of c.envFrom ?? []) {
        if (from.secretRef && [usersSecret, adminRef?.name].includes(from.secretRef.name)) {
          fail(where, `envFrom takes the whole Secret ${from.secretRef.name}`);
        }
        const data = from.configMapRef ? configMaps.get(from.configMapRef.name) ?? {} : {};
        for (const [k, v] of Object.entries(data)) {
          if (/^KAFKA_SASL|password/i.test(k) || /password=/i.test(String(v))) fail(where, `ConfigMap ${from.configMapRef.name} holds ${k}`);
        }
      }
      for (const v of pod.volumes ?? []) {
        if (v.secret && [usersSecret, adminRef?.name].includes(v.secret.secretName)) fail(where, `mounts the Secret ${v.secret.secretName}`);
      }
      const trust = byName.get("KAFKA_SSL_TRUSTSTORE_LOCATION")?.value;
      if (trust && !(c.volumeMounts ?? []).some((vm) => trust.startsWith(`${vm.mountPath}/`))) {
        fail(where, `KAFKA_SSL_TRUSTSTORE_LOCATION ${trust} is on no mounted volume`);
      }
    }
  }
  for (const svc of SERVICES) if (!seen.has(svc)) fail("Deployments", `no ${svc} container found`);

  // the grants
  const granted = {};
  const where = `Job/${aclJob.metadata.name}`;
  for (const line of lines.filter((l) => l.startsWith('acl "'))) {
    const words = shellWords(line).slice(1);
    const principal = words.shift();
    const ops = [];
    const resources = [];
    let pattern = "literal";
    for (let i = 0; i < words.length; i++) {
      const w = words[i];
      if (w === "--operation") ops.push(words[++i]);
      else if (w === "--topic" || w === "--group") resources.push([w.slice(2), words[++i]]);
      else if (w === "--cluster") resources.push(["cluster", "kafka-cluster"]);
      else if (w === "--resource-pattern-type") pattern = words[++i].toLowerCase();
      else fail(where, `${principal}: unexpected ACL argument ${w} in: ${line}`);
    }
    const g = (granted[principal] ??= new Map());
    for (const [type, name] of resources) {
      if (/[*?]/.test(name)) fail(where, `${principal}: wildcard ${type} ACL '${name}'`);
      if (type === "topic" && pattern !== "literal") fail(where, `${principal}: ${pattern} topic ACL on '${name}'`);
      const key = `${type}:${pattern}:${name}`;
      g.set(key, new Set([...(g.get(key) ?? []), ...ops]));
    }
  }
  const same = (a, b) => a.size === b.size && [...a].every((x) => b.has(x));
  for (const svc of SERVICES) {
    const principal = principalOf[svc];
    if (!principal) {
      fail(where, `no SCRAM user for ${svc}`);
      continue;
    }
    // one prune call names every service principal (one listing of the ACLs: each kafka-acls.sh is a JVM start)
    const pruned = lines.some((l) => l.startsWith("prune ") && l.split(" ").includes(`"${principal}"`));
    if (!pruned) fail(where, `${principal}'s stale ACLs are not pruned`);
    const a = access[svc];
    for (const t of a.outgoing) {
      if (!a.write.has(t)) fail(where, `${svc} has an outgoing channel to ${t}, which its principal may not write`);
    }
    const want = new Map();
    const add = (key, ops) => want.set(key, new Set([...(want.get(key) ?? []), ...ops]));
    for (const t of a.write) add(`topic:literal:${prefix}${t}`, ["Write", "Describe"]);
    for (const t of a.read) add(`topic:literal:${prefix}${t}`, ["Read", "Describe"]);
    for (const g of a.cellGroups) add(`group:literal:${prefix}${g}`, ["Read"]);
    for (const g of a.groups) add(`group:literal:${g}`, ["Read"]);
    for (const g of a.groupPrefixes) add(`group:prefixed:${g}`, ["Read"]);
    if (a.write.size) add("cluster:literal:kafka-cluster", ["IdempotentWrite"]);
    const got = granted[principal] ?? new Map();
    for (const [key, ops] of want) {
      if (!got.has(key)) fail(where, `${svc} (${principal}) lacks ${[...ops].join("+")} on ${key}`);
      else if (!same(ops, got.get(key))) fail(where, `${svc} (${principal}) has ${[...got.get(key)].join("+")} on ${key}, expected ${[...ops].join("+")}`);
      grantsChecked++;
    }
    for (const [key, ops] of got) {
      if (!want.has(key)) fail(where, `${svc} (${principal}) is granted ${[...ops].join("+")} on ${key}, which the code does not use`);
    }
  }
  // principals that are no service: outside producers of the grantable topics only
  const services = new Set(Object.values(principalOf));
  for (const [principal, got] of Object.entries(granted)) {
    if (services.has(principal)) continue;
    for (const [key, ops] of got) {
      const ok =
        (grantableTopics.some((t) => key === `topic:literal:${prefix}${t}`) && same(ops, new Set(["Write", "Describe"]))) ||
        (key === "cluster:literal:kafka-cluster" && same(ops, new Set(["IdempotentWrite"])));
      if (!ok) fail(where, `outside producer ${principal} is granted ${[...ops].join("+")} on ${key}`);
      grantsChecked++;
    }
  }
  console.log(`kafka: ${file}: SASL on, ${seen.size} services, topic prefix '${prefix}', ${Object.keys(granted).length} principals`);
}
if (saslFiles === 0) {
  console.error("kafka: no rendered file has Kafka SASL on (no ACL Job): nothing proves the ACLs");
  failures++;
}
console.log(`kafka: ${saslFiles} SASL renders, ${grantsChecked} grants checked against the code, ${failures} problems`);
process.exit(failures === 0 ? 0 : 1);
