// Validates every document of the rendered manifests given as arguments against the Kubernetes API
// types of kubernetes-models (required fields, enums, formats, types). Unknown kinds fail.
// Usage: node validate.mjs rendered-a.yaml [rendered-b.yaml ...]
import { readFileSync } from "node:fs";
import yaml from "js-yaml";

async function modelClass(apiVersion, kind) {
  const [group, version] = apiVersion.includes("/") ? apiVersion.split("/") : ["", apiVersion];
  const crds = { "monitoring.coreos.com": "prometheus-operator", "cert-manager.io": "cert-manager" };
  const candidates = crds[group]
    ? [`@kubernetes-models/${crds[group]}/${group}/${version}/${kind}`]
    : [group ? `kubernetes-models/${group}/${version}/${kind}` : `kubernetes-models/${version}/${kind}`];
  for (const path of candidates) {
    try {
      const mod = await import(path);
      return mod[kind] ?? mod.default;
    } catch (e) {
      if (e.code !== "ERR_MODULE_NOT_FOUND" && e.code !== "ERR_PACKAGE_PATH_NOT_EXPORTED") throw e;
    }
  }
  return null;
}

let failures = 0;
let checked = 0;
for (const file of process.argv.slice(2)) {
  const docs = yaml.loadAll(readFileSync(file, "utf8")).filter((d) => d && typeof d === "object");
  for (const doc of docs) {
    const where = `${file}: ${doc.kind ?? "?"}/${doc.metadata?.name ?? "?"}`;
    if (!doc.apiVersion || !doc.kind) {
      console.error(`${where}: missing apiVersion or kind`);
      failures++;
      continue;
    }
    const Model = await modelClass(doc.apiVersion, doc.kind);
    if (!Model) {
      console.error(`${where}: unknown kind ${doc.apiVersion} ${doc.kind}`);
      failures++;
      continue;
    }
    try {
      new Model(doc).validate();
      checked++;
    } catch (e) {
      console.error(`${where}: ${e.message}`);
      failures++;
    }
  }
}
console.log(`kubernetes-models: ${checked} documents valid, ${failures} invalid`);
process.exit(failures === 0 ? 0 : 1);
