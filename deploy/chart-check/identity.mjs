// Asserts the service-identity wiring of the rendered manifests (contracts dev.devloop.contracts.identity): every
// service Deployment mounts ONLY its own private key and jwks.json from the identity Secret, read-only, at
// /etc/devloop/identity (no subPath: a changed Secret must reach the pod), and its environment names that directory
// and never turns key generation on.
// Usage: node identity.mjs rendered-a.yaml [rendered-b.yaml ...]
//        node identity.mjs --whole-secret rendered.yaml   (the same check on a copy whose pods mount the WHOLE
//        identity Secret, every service's private key: must fail, proving the check bites)
import { readFileSync } from "node:fs";
import yaml from "js-yaml";

const SERVICES = ["api-gateway", "agent-service", "knowledge-service", "tool-service", "provider-gateway"];
const DIR = "/etc/devloop/identity";

const args = process.argv.slice(2);
const wholeSecret = args[0] === "--whole-secret";
let failures = 0;
let checked = 0;
for (const file of wholeSecret ? args.slice(1) : args) {
  const docs = yaml.loadAll(readFileSync(file, "utf8")).filter((d) => d && typeof d === "object");
  if (wholeSecret) {
    for (const d of docs.filter((d) => d.kind === "Deployment")) {
      for (const v of d.spec?.template?.spec?.volumes ?? []) {
        if (v.secret?.items?.some((i) => i.key === "jwks.json")) delete v.secret.items;
      }
    }
  }
  const configMaps = new Map(docs.filter((d) => d.kind === "ConfigMap").map((d) => [d.metadata.name, d.data ?? {}]));
  const seen = new Set();
  for (const doc of docs.filter((d) => d.kind === "Deployment")) {
    const pod = doc.spec?.template?.spec ?? {};
    for (const container of pod.containers ?? []) {
      if (!SERVICES.includes(container.name)) continue;
      const svc = container.name;
      const where = `${file}: Deployment/${doc.metadata.name} (${svc})`;
      const fail = (message) => {
        console.error(`${where}: ${message}`);
        failures++;
      };
      seen.add(svc);
      const mount = (container.volumeMounts ?? []).find((m) => m.mountPath === DIR);
      if (!mount) {
        fail(`no volume mounted at ${DIR}`);
        continue;
      }
      if (mount.readOnly !== true) fail(`${DIR} is not mounted read-only`);
      if (mount.subPath || mount.subPathExpr) fail(`${DIR} is mounted with a subPath (rotation would not reach the pod)`);
      const volume = (pod.volumes ?? []).find((v) => v.name === mount.name);
      const items = volume?.secret?.items;
      if (!volume?.secret?.secretName) fail(`volume ${mount.name} is not a Secret`);
      const expected = [`${svc}.jwk.json`, "jwks.json"];
      const got = (items ?? []).map((i) => `${i.key}->${i.path}`).sort();
      const want = expected.map((k) => `${k}->${k}`).sort();
      if (JSON.stringify(got) !== JSON.stringify(want)) {
        fail(`the identity Secret's items are [${got.join(", ")}], expected exactly [${want.join(", ")}]`);
      }
      const env = {};
      for (const from of container.envFrom ?? []) {
        if (from.configMapRef) Object.assign(env, configMaps.get(from.configMapRef.name) ?? {});
      }
      for (const e of container.env ?? []) env[e.name] = e.value ?? "(from a reference)";
      if (env.DEVLOOP_IDENTITY_DIR !== DIR) fail(`DEVLOOP_IDENTITY_DIR is ${env.DEVLOOP_IDENTITY_DIR}, expected ${DIR}`);
      if (String(env.DEVLOOP_IDENTITY_GENERATE ?? "false").toLowerCase() !== "false") {
        fail(`DEVLOOP_IDENTITY_GENERATE is ${env.DEVLOOP_IDENTITY_GENERATE}: keys are never generated in a cluster`);
      }
      checked++;
    }
  }
  if (seen.size === 0) {
    console.error(`${file}: no service Deployment found`);
    failures++;
  }
}
console.log(`identity: ${checked} service Deployments checked, ${failures} problems`);
process.exit(failures === 0 ? 0 : 1);
