// Validates rendered Kubernetes manifests (multi-document YAML files) against the Kubernetes and Prometheus Operator
// OpenAPI schemas that the kubernetes-models packages compile in: every document must be a known apiVersion/kind and
// pass its schema. Exits 1 naming each document that fails. Usage: node validate-manifests.mjs FILE...
import { readFileSync } from "node:fs";
import { parseAllDocuments } from "yaml";

const packages = [
  (group, version) => `kubernetes-models/${group ? group + "/" : ""}${version}`,
  (group, version) => `@kubernetes-models/prometheus-operator/${group}/${version}`,
];

async function modelFor(apiVersion, kind) {
  const [group, version] = apiVersion.includes("/") ? apiVersion.split("/") : ["", apiVersion];
  for (const path of packages) {
    try {
      const module = await import(`${path(group, version)}/${kind}`);
      if (module[kind]) return module[kind];
    } catch {
      // not in this package; try the next
    }
  }
  return null;
}

let failures = 0;
let checked = 0;
for (const file of process.argv.slice(2)) {
  for (const doc of parseAllDocuments(readFileSync(file, "utf8"))) {
    if (doc.errors.length) {
      console.error(`${file}: YAML error: ${doc.errors[0].message}`);
      failures++;
      continue;
    }
    const obj = doc.toJS();
    if (obj == null) continue;
    const where = `${file}: ${obj.kind ?? "?"} ${obj.metadata?.name ?? "?"}`;
    if (!obj.apiVersion || !obj.kind) {
      console.error(`${where}: no apiVersion or kind`);
      failures++;
      continue;
    }
    const Model = await modelFor(obj.apiVersion, obj.kind);
    if (!Model) {
      console.error(`${where}: unknown apiVersion/kind ${obj.apiVersion} ${obj.kind}`);
      failures++;
      continue;
    }
    try {
      new Model(obj).validate();
      checked++;
    } catch (e) {
      console.error(`${where}: ${e.message}`);
      failures++;
    }
  }
}
console.log(`manifests: ${checked} valid, ${failures} invalid`);
process.exit(failures === 0 && checked > 0 ? 0 : 1);
