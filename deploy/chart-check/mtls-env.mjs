// Prints one service's mTLS settings from a rendered chart, as KEY=VALUE lines: the TLS registry configuration `cell`,
// the HTTP server on it, the REST clients on it, DEVLOOP_TLS_CONFIGURATION and DEVLOOP_IDENTITY_CLIENT_CERTIFICATE —
// exactly what the chart gives the pod, so `DEVLOOP_MTLS=1 deploy/devloop up` (deploy/lib/mtls.sh) runs the services
// with the production settings. URLs, ports and the mount path are the caller's to adapt.
// Usage: node mtls-env.mjs rendered.yaml <service>
import { readFileSync } from "node:fs";
import yaml from "js-yaml";

const [file, service] = process.argv.slice(2);
if (!file || !service) {
  console.error("usage: node mtls-env.mjs rendered.yaml <service>");
  process.exit(2);
}
const docs = yaml.loadAll(readFileSync(file, "utf8")).filter(Boolean);
const configMaps = new Map(docs.filter((d) => d.kind === "ConfigMap").map((d) => [d.metadata.name, d.data ?? {}]));
const container = docs
  .filter((d) => d.kind === "Deployment")
  .flatMap((d) => d.spec?.template?.spec?.containers ?? [])
  .find((c) => c.name === service);
if (!container) {
  console.error(`no Deployment container named ${service} in ${file}`);
  process.exit(1);
}
const env = {};
for (const from of container.envFrom ?? []) {
  if (from.configMapRef) Object.assign(env, configMaps.get(from.configMapRef.name) ?? {});
}
for (const e of container.env ?? []) if (e.value !== undefined) env[e.name] = e.value;
const MTLS = /^(QUARKUS_TLS__CELL__|QUARKUS_HTTP_TLS_CONFIGURATION_NAME$|QUARKUS_HTTP_INSECURE_REQUESTS$|QUARKUS_REST_CLIENT__.*__TLS_CONFIGURATION_NAME$|DEVLOOP_TLS_CONFIGURATION$|DEVLOOP_IDENTITY_CLIENT_CERTIFICATE$)/;
const lines = Object.entries(env)
  .filter(([k]) => MTLS.test(k))
  .map(([k, v]) => `${k}=${v}`);
if (!lines.some((l) => l.startsWith("QUARKUS_TLS__CELL__"))) {
  console.error(`${service} has no mTLS settings in ${file} (tls.mtls.enabled off?)`);
  process.exit(1);
}
console.log(lines.sort().join("\n"));
